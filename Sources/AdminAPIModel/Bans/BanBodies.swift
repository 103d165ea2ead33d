import FleetDomain
import Foundation

/// `POST /api/v1/bans`: `{"kind":"ca"|"model","subject","reason"}`. The kind stays text so that a wrong
/// one is reported with the kinds there are.
public struct BanRequest: Codable, Sendable, Equatable {
    public var kind: String
    public var subject: String
    public var reason: String

    public init(kind: String, subject: String, reason: String) {
        self.kind = kind
        self.subject = subject
        self.reason = reason
    }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let kind: String? = fields.required(.kind)
        let subject: String? = fields.required(.subject)
        let reason: String? = fields.required(.reason)
        (self.kind, self.subject, self.reason) = try fields.complete(kind, subject, reason)
    }
}

/// A ban as listed.
public struct BanRepresentation: Codable, Sendable, Equatable {
    public var kind: Ban.Kind
    public var subject: String
    public var reason: String
    public var by: String
    public var at: Date

    public init(_ ban: Ban) {
        kind = ban.kind
        subject = ban.subject
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
