import AdminAPIModel
import FleetDomain
import FleetServices
import Foundation
import Hummingbird

/// `/api/v1/sites`: where devices are installed.
struct SiteHandlers: Sendable {
    let store: any FleetStore
    let audit: AuditTrail
    let webhooks: WebhookPolicy
    let random: any RandomSource
    let clock: @Sendable () -> Date

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
        issues += site.validate(webhooks: webhooks).filter { $0.field != "category" }
        if !issues.isEmpty { throw Problem(domain: .invalid(issues)) }
        do {
            try await store.insertSite(site)
        } catch let error as StoreError where error.code == .duplicate {
            throw Problem.conflict("site \(id) already exists")
        }
        let secret = try await newSecret(for: id)
        context.logger.notice("added a site", metadata: ["site": "\(id)", "county": "\(site.county)"])
        await audit.record(context, action: "site.create", target: "site:\(id)",
                           detail: ["county": site.county, "category": site.category.rawValue])
        return try .json(SiteRepresentation(site, webhookSecret: secret), status: .created, headers: [.location: "/api/v1/sites/\(id)"],
                         request: request, context: context)
    }

    /// `GET /api/v1/sites?county=`.
    func list(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let county = request.uri.queryParameters["county"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if let county, !County.isValid(county) {
            throw Problem.validation(field: "county", "county must be \(County.rule)")
        }
        let sites = try await store.sites(county: county)
        return try .json(SiteList(sites: sites.map { SiteRepresentation($0) }), request: request, context: context)
    }

    func show(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let id = try Identifier.site(context.parameters.get("id") ?? "", field: "id")
        guard let site = try await store.site(id) else { throw Problem.notFound("no site \(id)") }
        return try .json(SiteRepresentation(site), request: request, context: context)
    }

    /// `POST /api/v1/sites/{id}/webhook-secret`: a new signing key, shown in this answer only; the old one
    /// stops signing at once.
    func rotateSecret(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let id = try Identifier.site(context.parameters.get("id") ?? "", field: "id")
        guard let site = try await store.site(id) else { throw Problem.notFound("no site \(id)") }
        let secret = try await newSecret(for: id)
        context.logger.notice("rotated a site's webhook secret", metadata: ["site": "\(id)"])
        await audit.record(context, action: "site.rotate_secret", target: "site:\(id)")
        return try .json(SiteRepresentation(site, webhookSecret: secret), request: request, context: context)
    }

    /// `GET /api/v1/sites/{id}/notifications?limit=N`: notices to the site's manager and every attempt.
    func notifications(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let id = try Identifier.site(context.parameters.get("id") ?? "", field: "id")
        var query = QueryReader(request)
        let limit = query.limit(default: 50)
        try query.validate()
        guard try await store.site(id) != nil else { throw Problem.notFound("no site \(id)") }
        var entries: [SiteNotificationList.Entry] = []
        for notification in try await store.notifications(siteID: id, limit: limit) {
            entries.append(.init(notification, attempts: try await store.attempts(of: notification.key)))
        }
        return try .json(SiteNotificationList(site: id, notifications: entries), request: request, context: context)
    }

    /// 32 random bytes, stored as the site's signing key; returned as hex for the admin to copy once.
    private func newSecret(for siteID: String) async throws -> String {
        let secret = random.bytes(32)
        try await store.setWebhookSecret(secret, for: siteID, at: clock())
        return Hex.encode(secret)
    }
}
