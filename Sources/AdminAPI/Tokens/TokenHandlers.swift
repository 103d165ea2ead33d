import AdminAPIModel
import FleetDomain
import FleetServices
import Foundation
import Hummingbird

/// `/api/v1/tokens`: named, expiring, revocable tokens. The secret is in the creation answer only.
struct TokenHandlers: Sendable {
    /// One minute to ten years.
    static let expiryRange = 60...(3650 * 86_400)

    let store: any FleetStore
    let clock: @Sendable () -> Date
    let random: any RandomSource
    let audit: AuditTrail

    /// `POST /api/v1/tokens` `{"name","role","counties"?,"expires_in_s"?}` → 201 `{"token":{…},"secret":"bft_…"}`.
    func create(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(TokenRequest.self, from: request, context: context)
        let (name, counties, expiresIn) = (body.name, body.counties ?? [], body.expiresInSeconds)
        var issues = TokenRules.nameIssues(name)
        let role = Role(rawValue: body.role)
        if role == nil {
            issues.append(FieldIssue("role", "role \(body.role) is not one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        if let role { issues += TokenRules.countyIssues(counties, role: role) }
        if let expiresIn, !Self.expiryRange.contains(expiresIn) {
            issues.append(FieldIssue("expires_in_s", "expires_in_s \(expiresIn) is outside \(Self.expiryRange.lowerBound)–\(Self.expiryRange.upperBound) (ten years)"))
        }
        guard let role, issues.isEmpty else { throw Problem(domain: .invalid(issues)) }
        let now = clock()
        let (secret, stored) = AdminTokens.mint(
            name: name, role: role, expiresAt: expiresIn.map { now.addingTimeInterval(Double($0)) }, now: now,
            counties: counties, random: random)
        try await store.insertToken(stored)
        context.logger.notice("created a token", metadata: ["token.name": "\(name)", "role": "\(role.rawValue)"])
        var detail = ["name": name, "role": role.rawValue]
        if !counties.isEmpty { detail["counties"] = counties.joined(separator: ",") }
        if let expiresAt = stored.expiresAt { detail["expires_at"] = ISO8601DateFormatter().string(from: expiresAt) }
        await audit.record(context, action: "token.create", target: "token:\(stored.id)", detail: detail)
        return try .json(CreatedToken(token: TokenRepresentation(stored), secret: secret), status: .created,
                         request: request, context: context)
    }

    /// `GET /api/v1/tokens`: every token, revoked ones included (who had access, and until when).
    func list(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let tokens = try await store.tokens()
        return try .json(TokenList(tokens: tokens.map(TokenRepresentation.init)), request: request, context: context)
    }

    /// `POST /api/v1/tokens/{id}/revoke`: the token answers 401 from now on; kept in the list.
    func revoke(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let id = try Identifier.token(context.parameters.get("id") ?? "")
        guard let token = try await store.revokeToken(id: id, at: clock()) else {
            throw Problem.notFound("no token with id \(id)")
        }
        context.logger.notice("revoked a token", metadata: ["token.name": "\(token.name)"])
        await audit.record(context, action: "token.revoke", target: "token:\(id)", detail: ["name": token.name])
        return try .json(RevokedToken(token: TokenRepresentation(token)), request: request, context: context)
    }
}

/// The rules of token fields, shared with the CLI's wording.
enum TokenRules {
    static func nameIssues(_ name: String) -> [FieldIssue] {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return [FieldIssue("name", "name is required")] }
        if name.count > 64 { return [FieldIssue("name", "name is \(name.count) characters, more than 64")] }
        return []
    }

    /// Installer tokens need at least one county; other roles are fleet-wide and take none.
    static func countyIssues(_ counties: [String], role: Role) -> [FieldIssue] {
        if role != .installer {
            return counties.isEmpty ? [] : [FieldIssue("counties", "counties apply to installer tokens only")]
        }
        if counties.isEmpty { return [FieldIssue("counties", "an installer token needs at least one county")] }
        return counties.filter { !County.isValid($0) }.map {
            FieldIssue("counties", "county \($0) is not \(County.rule)")
        }
    }
}
