import FleetDomain
import Foundation
import Hummingbird

/// Authenticates every request under `/api/v1` with `Authorization: Bearer <secret>` and puts the token
/// in the context; the route then checks its role (`Route.Access`).
///
/// It sits on the router rather than on a route group so that unknown paths under `/api/v1` also answer
/// 401 before 404: without a token nobody learns which routes exist.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    let store: any TokenStore
    let clock: @Sendable () -> Date

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard Self.isProtected(request.uri.path), !Self.isOpen(request.uri.path) else {
            return try await next(request, context)
        }
        let token = try await authenticate(request)
        var context = context
        context.token = token
        context.logger[metadataKey: "token.id"] = .string(token.id)
        return try await next(request, context)
    }

    /// The open paths under `/api/v1`, compared by component like `isProtected`. Claim redemption carries
    /// its credential (the single-use code) in the body: an installer with a printed code has no token. The
    /// OpenAPI document holds no secrets and is what a client reads first.
    static func isOpen(_ path: String) -> Bool {
        let components = RouteIndex.components(path)
        return components == ["api", "v1", "claims", "redeem"] || components == ["api", "v1", "openapi.json"]
    }

    /// Whether the path is under `/api/v1`, compared by component so `//api/v1` cannot slip past.
    static func isProtected(_ path: String) -> Bool {
        RouteIndex.components(path).starts(with: ["api", "v1"])
    }

    private func authenticate(_ request: Request) async throws -> StoredToken {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("missing bearer token: send Authorization: Bearer <token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        // RFC 7235: the scheme name is case-insensitive.
        guard let scheme = parts.first, scheme.lowercased() == "bearer" else {
            throw Problem.unauthorized("the Authorization header must use the Bearer scheme")
        }
        let secret = parts.dropFirst().first?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !secret.isEmpty else { throw Problem.unauthorized("the bearer token is empty") }
        // Only the hash is stored, so the lookup never compares secrets directly.
        guard let token = try await store.token(hash: AdminTokens.hash(secret)) else {
            throw Problem.unauthorized("unknown token")
        }
        if token.revokedAt != nil { throw Problem.unauthorized("token \(token.id) is revoked") }
        guard token.isValid(at: clock()) else { throw Problem.unauthorized("token \(token.id) has expired") }
        return token
    }
}
