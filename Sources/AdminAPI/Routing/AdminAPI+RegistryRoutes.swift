import AdminAPIModel
import FleetDomain
import Hummingbird

extension AdminAPI {
    /// The routes of the certified fleet: tokens, models, sites, installation, claim codes, import,
    /// revocation and bans. Write access: admin, except installing and importing (installers too, in their
    /// counties) and redeeming a claim code (the code is the credential).
    func registryRoutes(readers: Route.Access) -> [Route] {
        let admin = Route.Access.requiring(.admin)
        let fieldWork = Route.Access.requiring(.admin, .installer)
        let tokens = TokenHandlers(store: store, clock: clock, random: random, audit: audit)
        let models = ModelHandlers(store: store, services: services, clock: clock, audit: audit)
        let sites = SiteHandlers(store: store, audit: audit, webhooks: configuration.webhooks, random: random, clock: clock)
        let installation = InstallationHandlers(
            store: store, services: services, clock: clock, random: random, redemptions: redemptionLimiter, audit: audit)
        let importer = ImportHandlers(services: services, clock: clock, audit: audit)
        let lifecycle = LifecycleHandlers(store: store, services: services, clock: clock, audit: audit)
        let trust = TrustHandlers(store: store, clock: clock)
        let overseers = Route.Access.requiring(.admin, .supervisor)
        let commands = CommandHandlers(store: store, issuing: services.commands)
        return [
            Route(.post, "/api/v1/tokens", admin, handler: tokens.create),
            Route(.get, "/api/v1/tokens", admin, handler: tokens.list),
            Route(.post, "/api/v1/tokens/{id}/revoke", admin, handler: tokens.revoke),
            Route(.post, "/api/v1/models", admin, handler: models.add),
            Route(.get, "/api/v1/models", readers, handler: models.list),
            Route(.get, "/api/v1/models/{code}", readers, handler: models.show),
            Route(.post, "/api/v1/sites", admin, handler: sites.add),
            Route(.get, "/api/v1/sites", readers, handler: sites.list),
            Route(.get, "/api/v1/sites/{id}", readers, handler: sites.show),
            Route(.post, "/api/v1/sites/{id}/webhook-secret", admin, handler: sites.rotateSecret),
            Route(.get, "/api/v1/sites/{id}/notifications", overseers, handler: sites.notifications),
            Route(.post, "/api/v1/devices/import", fieldWork, handler: importer.run),
            Route(.post, "/api/v1/devices/{serial}/installation", fieldWork, handler: installation.install),
            Route(.get, "/api/v1/devices/{serial}/installations", readers, handler: installation.history),
            Route(.post, "/api/v1/devices/{serial}/revoke", admin, handler: lifecycle.revoke),
            Route(.post, "/api/v1/devices/{serial}/decommission", admin, handler: lifecycle.decommission),
            Route(.post, "/api/v1/claims", admin, handler: installation.createClaim),
            Route(.post, "/api/v1/claims/redeem", .open, handler: installation.redeem),
            Route(.post, "/api/v1/bans", admin, handler: lifecycle.ban),
            Route(.get, "/api/v1/bans", readers, handler: lifecycle.bans),
            Route(.get, "/api/v1/devices/{serial}/certificates", readers, handler: trust.certificates),
            Route(.get, "/api/v1/certificates/expiring", readers, handler: trust.expiring),
            Route(.get, "/api/v1/security/events", overseers, handler: trust.securityEvents),
            Route(.get, "/api/v1/ingest/quarantine", overseers, handler: trust.quarantine),
            Route(.post, "/api/v1/commands", admin, handler: commands.issue),
            Route(.get, "/api/v1/commands", overseers, handler: commands.list),
            Route(.get, "/api/v1/commands/{id}", overseers, handler: commands.show),
            Route(.post, "/api/v1/commands/{id}/cancel", admin, handler: commands.cancel),
            Route(.post, "/api/v1/commands/{id}/approve", admin, handler: commands.approve),
            Route(.post, "/api/v1/sites/{id}/trip", admin, handler: commands.tripSite),
            Route(.get, "/api/v1/routes", readers) { request, context in
                try .json(RouteList(routes: self.routes().map(RouteList.Route.init)), request: request, context: context)
            },
        ]
    }
}

extension RouteList.Route {
    /// A declared route as `GET /api/v1/routes` lists it: roles in their declared order, none when open.
    init(_ route: Route) {
        let roles: [Role] = if case .roles(let allowed) = route.access { Role.allCases.filter(allowed.contains) } else { [] }
        self.init(method: route.method.rawValue, path: route.path, roles: roles)
    }
}
