import Foundation

/// An audit entry in its place in the chain: its sequence number, the hash of the record before it and
/// its own hash over both (see `AuditCanonicalForm` for exactly which bytes are hashed).
public struct AuditRecord: Sendable, Equatable, Codable {
    /// 1-based and gapless: record `n` follows record `n - 1`.
    public var sequence: Int64
    /// Whole milliseconds (what the hash covers, so it round-trips exactly through any store).
    public var at: Date
    public var actor: AuditActor
    public var action: String
    public var target: String
    public var device: String?
    public var reason: String?
    public var breaker: String?
    public var detail: [String: String]
    /// Lowercase hex SHA-256 of the previous record's canonical form; `AuditChain.genesisHash` (64 zeros)
    /// for record 1.
    public var previousHash: String
    /// Lowercase hex SHA-256 of this record's canonical form, which includes `sequence` and `previousHash`.
    public var hash: String

    public init(sequence: Int64, entry: AuditEntry, previousHash: String, hash: String) {
        self.sequence = sequence
        self.at = entry.at
        self.actor = entry.actor
        self.action = entry.action
        self.target = entry.target
        self.device = entry.device
        self.reason = entry.reason
        self.breaker = entry.breaker
        self.detail = entry.detail
        self.previousHash = previousHash
        self.hash = hash
    }

    /// What the writer supplied.
    public var entry: AuditEntry {
        AuditEntry(at: at, actor: actor, action: action, target: target, device: device, reason: reason, breaker: breaker,
                   detail: detail)
    }

    /// `at` in whole Unix milliseconds, as hashed and stored.
    public var atMilliseconds: Int64 { AuditCanonicalForm.milliseconds(at) }

    enum CodingKeys: String, CodingKey {
        case sequence, at, atMilliseconds = "at_ms", actor, action, target, device, reason, breaker, detail
        case previousHash = "previous_hash", hash
    }
}

// The JSON form (the admin API's): `at` in the encoder's date format for people and `at_ms`, the exact
// millisecond the hash covers, so the chain can be re-verified from the JSON alone (docs/audit.md).
// Optional keys are always written, null when unset.
extension AuditRecord {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sequence = try container.decode(Int64.self, forKey: .sequence)
        if let milliseconds = try container.decodeIfPresent(Int64.self, forKey: .atMilliseconds) {
            at = AuditCanonicalForm.date(milliseconds: milliseconds)
        } else {
            at = try container.decode(Date.self, forKey: .at)
        }
        actor = try container.decode(AuditActor.self, forKey: .actor)
        action = try container.decode(String.self, forKey: .action)
        target = try container.decode(String.self, forKey: .target)
        device = try container.decodeIfPresent(String.self, forKey: .device)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        breaker = try container.decodeIfPresent(String.self, forKey: .breaker)
        detail = try container.decodeIfPresent([String: String].self, forKey: .detail) ?? [:]
        previousHash = try container.decode(String.self, forKey: .previousHash)
        hash = try container.decode(String.self, forKey: .hash)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sequence, forKey: .sequence)
        try container.encode(at, forKey: .at)
        try container.encode(atMilliseconds, forKey: .atMilliseconds)
        try container.encode(actor, forKey: .actor)
        try container.encode(action, forKey: .action)
        try container.encode(target, forKey: .target)
        try container.encode(device, forKey: .device)
        try container.encode(reason, forKey: .reason)
        try container.encode(breaker, forKey: .breaker)
        try container.encode(detail, forKey: .detail)
        try container.encode(previousHash, forKey: .previousHash)
        try container.encode(hash, forKey: .hash)
    }
}
