import FleetDomain
import Foundation

/// `POST /api/v1/tokens`: `{"name","role","counties"?,"expires_in_s"?}`. The role stays text so that a
/// wrong one is reported with the list of roles.
public struct TokenRequest: Codable, Sendable, Equatable {
    public var name: String
    public var role: String
    public var counties: [String]?
    public var expiresInSeconds: Int?

    public init(name: String, role: String, counties: [String]? = nil, expiresInSeconds: Int? = nil) {
        self.name = name
        self.role = role
        self.counties = counties
        self.expiresInSeconds = expiresInSeconds
    }

    enum CodingKeys: String, CodingKey { case name, role, counties, expiresInSeconds = "expires_in_s" }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let name: String? = fields.required(.name)
        let role: String? = fields.required(.role)
        counties = fields.optional(.counties)
        expiresInSeconds = fields.optional(.expiresInSeconds)
        (self.name, self.role) = try fields.complete(name, role)
    }
}

/// A token as listed: never its hash. Optional keys are always present, null when unset.
public struct TokenRepresentation: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: Role
    public var counties: [String]
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?

    public init(_ token: StoredToken) {
        id = token.id
        name = token.name
        role = token.role
        counties = token.counties
        createdAt = token.createdAt
        expiresAt = token.expiresAt
        revokedAt = token.revokedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, role, counties, createdAt = "created_at", expiresAt = "expires_at", revokedAt = "revoked_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(role, forKey: .role)
        try container.encode(counties, forKey: .counties)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(revokedAt, forKey: .revokedAt)
    }
}

/// The answer to `POST /api/v1/tokens`: the token and its secret, shown this once.
public struct CreatedToken: Codable, Sendable, Equatable {
    public var token: TokenRepresentation
    public var secret: String

    public init(token: TokenRepresentation, secret: String) {
        self.token = token
        self.secret = secret
    }
}

/// `GET /api/v1/tokens`.
public struct TokenList: Codable, Sendable, Equatable {
    public var tokens: [TokenRepresentation]

    public init(tokens: [TokenRepresentation]) { self.tokens = tokens }
}

/// The answer to `POST /api/v1/tokens/{id}/revoke`.
public struct RevokedToken: Codable, Sendable, Equatable {
    public var token: TokenRepresentation

    public init(token: TokenRepresentation) { self.token = token }
}
