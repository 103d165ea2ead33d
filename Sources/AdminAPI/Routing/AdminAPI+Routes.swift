import FleetDomain
import Hummingbird

extension AdminAPI {
    /// Every endpoint with who may call it: the one place to read the API's access rules.
    ///
    /// admin: everything; installer: provision, install and import in its counties, and read; supervisor:
    /// read only.
    func routes() -> [Route] {
        let devices = DeviceHandlers(store: store, provisioning: provisioning, clock: clock, audit: audit)
        let operational = OperationalHandlers(prometheus: prometheus)
        let readers = Route.Access.requiring(.admin, .installer, .supervisor)
        return [
            Route(.get, "/healthz", .open) { try operational.health($0, $1) },
            Route(.get, "/metrics", .open) { operational.metrics($0, $1) },
            Route(.get, "/api/v1/openapi.json", .open) { operational.openAPI($0, $1) },
            Route(.post, "/api/v1/devices", .requiring(.admin, .installer), handler: devices.provision),
            Route(.get, "/api/v1/devices", readers, handler: devices.list),
            Route(.get, "/api/v1/devices/{serial}", readers, handler: devices.show),
            Route(.get, "/api/v1/devices/{serial}/telemetry", readers, handler: devices.telemetry),
            Route(.get, "/api/v1/devices/{serial}/events", readers, handler: devices.events),
        ] + registryRoutes(readers: readers) + profileRoutes(readers: readers) + auditRoutes()
    }
}

extension AdminAPI {
    /// The audit trail: admins and supervisors read and verify it. Not installers: it names every token,
    /// site and reason fleet-wide, beyond an installer's counties.
    func auditRoutes() -> [Route] {
        let overseers = Route.Access.requiring(.admin, .supervisor)
        let trail = AuditHandlers(store: store)
        return [
            Route(.get, "/api/v1/audit", overseers, handler: trail.list),
            Route(.get, "/api/v1/audit/verify", overseers, handler: trail.verify),
        ]
    }
}

extension AdminAPI {
    /// Threshold profiles: admins push and assign, everyone reads versions and status.
    func profileRoutes(readers: Route.Access) -> [Route] {
        let admin = Route.Access.requiring(.admin)
        let profiles = ProfileHandlers(store: store, profiles: services.profiles, clock: clock, audit: audit)
        return [
            Route(.get, "/api/v1/profiles", readers, handler: profiles.list),
            Route(.post, "/api/v1/profiles", admin, handler: profiles.push),
            Route(.get, "/api/v1/profiles/{id}", readers, handler: profiles.show),
            Route(.get, "/api/v1/profiles/{id}/versions", readers, handler: profiles.versions),
            Route(.get, "/api/v1/profiles/{id}/diff", readers, handler: profiles.diff),
            Route(.get, "/api/v1/profile-assignments", readers, handler: profiles.assignments),
            Route(.put, "/api/v1/profile-assignments", admin, handler: profiles.assign),
            Route(.delete, "/api/v1/profile-assignments", admin, handler: profiles.unassign),
            Route(.get, "/api/v1/profile-status", readers, handler: profiles.status),
            Route(.get, "/api/v1/devices/{serial}/profile", readers, handler: profiles.device),
        ]
    }
}
