import Foundation

/// The append-only, hash-chained audit trail of admin writes (and, later, command transitions).
public protocol AuditStore: Sendable {
    /// Chains `entries` after the stored head, in order, and stores them with the new head in one
    /// transaction: concurrent appenders queue, so the chain never forks. Returns the records as stored.
    func appendAudit(_ entries: [AuditEntry]) async throws -> [AuditRecord]
    /// Matching records in sequence order: the last `limit` of them, or with `after` the first `limit`
    /// after that sequence number (to page forward or follow the trail).
    func auditRecords(_ query: AuditQuery) async throws -> [AuditRecord]
    /// Re-hashes every record in one consistent read and checks the links and the head.
    func verifyAudit() async throws -> AuditVerification
}

/// Which audit records to list. Filters combine with AND.
public struct AuditQuery: Sendable, Equatable {
    /// Records about this serial.
    public var device: String?
    /// Records by this actor name (a token's name, a serial, `breakerfleet`).
    public var actor: String?
    /// Records at or after this time.
    public var since: Date?
    /// Records whose action starts with this (`device.`, `command.trip`).
    public var actionPrefix: String?
    public var limit: Int
    /// Records after this sequence number.
    public var after: Int64?

    public init(
        device: String? = nil, actor: String? = nil, since: Date? = nil, actionPrefix: String? = nil, limit: Int = 100,
        after: Int64? = nil
    ) {
        self.device = device
        self.actor = actor
        self.since = since
        self.actionPrefix = actionPrefix
        self.limit = limit
        self.after = after
    }
}
