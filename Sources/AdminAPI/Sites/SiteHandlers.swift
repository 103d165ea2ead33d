import AdminAPIModel
import FleetDomain
import FleetServices
import Foundation
import Hummingbird

/// `/api/v1/sites`: where devices are installed.
struct SiteHandlers: Sendable {
    let store: any FleetStore
    let audit: AuditTrail

    /// `POST /api/v1/sites` `{"id","name","category","county","address","manager":{"name","phone","webhook_url"?}}`.
    func add(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(SiteRequest.self, from: request, context: context)
        var issues: [FieldIssue] = []
        let category = SiteCategory(rawValue: body.category)
        if category == nil || category == .default {
            issues.append(FieldIssue("category", "category \(body.category) is not one of: \(Site.categoryList)"))
        }
        let id = body.id
        // A bad category is already reported: check the other fields with a stand-in, so all come back at once.
        let site = Site(
            id: id, name: body.name, category: category ?? .commerce, county: body.county, address: body.address,
            manager: SiteManager(name: body.manager.name, phone: body.manager.phone, webhookURL: body.manager.webhookURL))
        issues += site.validate().filter { $0.field != "category" }
        if !issues.isEmpty { throw Problem(domain: .invalid(issues)) }
        do {
            try await store.insertSite(site)
        } catch let error as StoreError where error.code == .duplicate {
            throw Problem.conflict("site \(id) already exists")
        }
        context.logger.notice("added a site", metadata: ["site": "\(id)", "county": "\(site.county)"])
        await audit.record(context, action: "site.create", target: "site:\(id)",
                           detail: ["county": site.county, "category": site.category.rawValue])
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
        return try .json(SiteList(sites: sites.map(SiteRepresentation.init)), request: request, context: context)
    }

    func show(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let id = try Identifier.site(context.parameters.get("id") ?? "", field: "id")
        guard let site = try await store.site(id) else { throw Problem.notFound("no site \(id)") }
        return try .json(SiteRepresentation(site), request: request, context: context)
    }
}
