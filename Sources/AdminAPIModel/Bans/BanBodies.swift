import FleetDomain
import Foundation

/// `POST /api/v1/bans`: `{"kind":"ca"|"model","subject","name"?,"reason"}`. For `ca` the subject is the SHA-256
/// fingerprint of the CA certificate (64 lowercase hex digits) and `name` its CN, for people. The kind stays
/// text so that a wrong one is reported with the kinds there are.
public struct BanRequest: Codable, Sendable, Equatable {
    public var kind: String
    public var subject: String
    public var name: String?
    public var reason: String

    public init(kind: String, subject: String, name: String? = nil, reason: String) {
        self.kind = kind
        self.subject = subject
        self.name = name
        self.reason = reason
    }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let kind: String? = fields.required(.kind)
        let subject: String? = fields.required(.subject)
        let reason: String? = fields.required(.reason)
        name = fields.optional(.name)
        (self.kind, self.subject, self.reason) = try fields.complete(kind, subject, reason)
    }
}

/// A ban as listed.
public struct BanRepresentation: Codable, Sendable, Equatable {
    public var kind: Ban.Kind
    /// The fingerprint for `ca`, the model code for `model`, the old CN for `ca-name` (which matches nothing).
    public var subject: String
    public var name: String?
    public var reason: String
    public var by: String
    public var at: Date

    public init(_ ban: Ban) {
        kind = ban.kind
        subject = ban.subject
        name = ban.name
        reason = ban.reason
        by = ban.by
        at = ban.at
    }
}

/// `GET /api/v1/bans`.
public struct BanList: Codable, Sendable, Equatable {
    public var bans: [BanRepresentation]

    public init(bans: [BanRepresentation]) { self.bans = bans }
}
