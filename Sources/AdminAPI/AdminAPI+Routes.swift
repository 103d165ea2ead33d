import FleetDomain
import Hummingbird

extension AdminAPI {
    /// Every endpoint with who may call it: the one place to read the API's access rules.
    ///
    /// admin: everything; installer: provision, install and import in its counties, and read; supervisor:
    /// read only.
    func routes() -> [Route] {
        let devices = DeviceHandlers(store: store, provisioning: provisioning, clock: clock)
        let operational = OperationalHandlers(prometheus: prometheus)
        let readers = Route.Access.requiring(.admin, .installer, .supervisor)
        return [
            Route(.get, "/healthz", .open) { try operational.health($0, $1) },
            Route(.get, "/metrics", .open) { operational.metrics($0, $1) },
            Route(.post, "/api/v1/devices", .requiring(.admin, .installer), handler: devices.provision),
            Route(.get, "/api/v1/devices", readers, handler: devices.list),
            Route(.get, "/api/v1/devices/{serial}", readers, handler: devices.show),
            Route(.get, "/api/v1/devices/{serial}/telemetry", readers, handler: devices.telemetry),
            Route(.get, "/api/v1/devices/{serial}/events", readers, handler: devices.events),
        ] + registryRoutes(readers: readers)
    }
}
