import FleetDomain
import Foundation

/// `GET /api/v1/audit`: matching records in sequence order (the newest page, or the page after `after`).
/// Each record's JSON form is `AuditRecord`'s (with `at_ms`, exact, for re-verification).
public struct AuditRecordList: Codable, Sendable, Equatable {
    public var records: [AuditRecord]

    public init(records: [AuditRecord]) { self.records = records }
}

/// `GET /api/v1/audit/verify`: `{"intact":true,"records":N,"head":"…"}`, or `{"intact":false,
/// "first_bad_sequence":N,"what":"altered","problem":"record N was altered (…)"}`.
public struct AuditVerificationAnswer: Codable, Sendable, Equatable {
    public var intact: Bool
    public var records: Int64?
    public var head: String?
    public var firstBadSequence: Int64?
    /// `altered`, `removed`, `reordered` or `appended` (see `AuditProblem`).
    public var what: AuditProblem?
    /// The sentence for people.
    public var problem: String?

    public init(_ verification: AuditVerification) {
        switch verification {
        case .intact(let count, let lastHash):
            intact = true
            records = count
            head = lastHash
        case .broken(let sequence, let what):
            intact = false
            firstBadSequence = sequence
            self.what = what
            problem = verification.description
        }
    }

    enum CodingKeys: String, CodingKey {
        case intact, records, head, firstBadSequence = "first_bad_sequence", what, problem
    }
}
