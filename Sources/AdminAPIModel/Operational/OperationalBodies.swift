import FleetDomain

/// `GET /healthz`: `{"status":"ok"}` while the process serves HTTP.
public struct HealthStatus: Codable, Sendable, Equatable {
    public var status: String

    public init(status: String) { self.status = status }
}

/// `GET /api/v1/routes`: every endpoint with the roles that may call it, so clients (and the tests that
/// check every write is refused to supervisors) read the access rules from the server itself.
public struct RouteList: Codable, Sendable, Equatable {
    public struct Route: Codable, Sendable, Equatable {
        public var method: String
        /// Parameters as `{name}`.
        public var path: String
        /// Empty for open routes.
        public var roles: [Role]

        public init(method: String, path: String, roles: [Role]) {
            self.method = method
            self.path = path
            self.roles = roles
        }
    }

    public var routes: [Route]

    public init(routes: [Route]) { self.routes = routes }
}
