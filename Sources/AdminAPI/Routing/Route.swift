import FleetDomain
import Hummingbird

/// One endpoint of the admin API, declared with who may call it.
///
/// Routes are data first (see `AdminAPI+Routes.swift`): the same list registers the handlers and tells
/// `ProblemMiddleware` which methods a path allows, so a 405 can never disagree with the router.
struct Route: Sendable {
    typealias Handler = @Sendable (Request, AdminRequestContext) async throws -> Response

    /// Who may call a route.
    enum Access: Sendable {
        /// No token needed (health and metrics, for probes and scrapers on the loopback interface).
        case open
        /// A valid token with one of these roles.
        case roles(Set<Role>)

        static func requiring(_ roles: Role...) -> Access { .roles(Set(roles)) }
    }

    let method: HTTPRequest.Method
    /// The full path in Hummingbird syntax, parameters as `{name}`.
    let path: String
    let access: Access
    let handler: Handler

    init(_ method: HTTPRequest.Method, _ path: String, _ access: Access, handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.access = access
        self.handler = handler
    }

    /// Checks the role, then runs the handler.
    func respond(to request: Request, context: AdminRequestContext) async throws -> Response {
        if case .roles(let roles) = access {
            // The auth middleware guards `/api/v1` by path; checking here too means a route that somehow
            // escaped it (a path spelled differently) still refuses callers without a token.
            guard let token = context.token else { throw Problem.unauthorized("missing bearer token") }
            guard roles.contains(token.role) else { throw Problem.forbidden(requires: roles, has: token.role) }
        }
        return try await handler(request, context)
    }
}
