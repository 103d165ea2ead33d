import FleetDomain
import Foundation
import Hummingbird

/// `/api/v1/sites`: where devices are installed.
struct SiteHandlers: Sendable {
    let store: any FleetStore

    /// `POST /api/v1/sites` `{"id","name","category","county","address","manager":{"name","phone","webhook_url"?}}`.
    func add(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        var body = try await BodyFields.read(request, context: context)
        let id = body.string("id")
        let name = body.string("name")
        let categoryText = body.string("category")
        let county = body.string("county")
        let address = body.string("address")
        var managerFields = body.object("manager")
        let managerName = managerFields?.string("name")
        let phone = managerFields?.string("phone")
        let webhook = managerFields?.string("webhook_url", required: false)
        body.merge(managerFields)
        let category = categoryText.flatMap(SiteCategory.init(rawValue:))
        if let categoryText, category == nil || category == .default {
            body.add([FieldIssue("category", "category \(categoryText) is not one of: \(Site.categoryList)")])
        }
        guard let id, let name, let county, let address, let managerName, let phone else {
            try body.validate()
            throw Problem.badRequest("incomplete site")
        }
        // A bad category is already reported: check the other fields with a stand-in, so all come back at once.
        let site = Site(
            id: id, name: name, category: category ?? .commerce, county: county, address: address,
            manager: SiteManager(name: managerName, phone: phone, webhookURL: webhook))
        body.add(site.validate().filter { $0.field != "category" })
        try body.validate()
        do {
            try await store.insertSite(site)
        } catch let error as StoreError where error.code == .duplicate {
            throw Problem.conflict("site \(id) already exists")
        }
        context.logger.notice("added a site", metadata: ["site": "\(id)", "county": "\(county)"])
        return try .json(SiteRepresentation(site), status: .created, headers: [.location: "/api/v1/sites/\(id)"],
                         request: request, context: context)
    }

    /// `GET /api/v1/sites?county=`.
    func list(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let county = request.uri.queryParameters["county"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if let county, !County.isValid(county) {
            throw Problem.validation(field: "county", "county must be \(County.rule)")
        }
        let sites = try await store.sites(county: county)
        return try .json(["sites": sites.map(SiteRepresentation.init)], request: request, context: context)
    }

    func show(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let site = try await store.site(id) else { throw Problem.notFound("no site \(id)") }
        return try .json(SiteRepresentation(site), request: request, context: context)
    }
}

struct SiteRepresentation: Encodable, Sendable {
    let site: Site

    init(_ site: Site) { self.site = site }

    private enum CodingKeys: String, CodingKey { case id, name, category, county, address, manager }
    private enum ManagerKeys: String, CodingKey { case name, phone, webhookURL = "webhook_url" }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(site.id, forKey: .id)
        try container.encode(site.name, forKey: .name)
        try container.encode(site.category, forKey: .category)
        try container.encode(site.county, forKey: .county)
        try container.encode(site.address, forKey: .address)
        var manager = container.nestedContainer(keyedBy: ManagerKeys.self, forKey: .manager)
        try manager.encode(site.manager.name, forKey: .name)
        try manager.encode(site.manager.phone, forKey: .phone)
        try manager.encode(site.manager.webhookURL, forKey: .webhookURL)
    }
}
