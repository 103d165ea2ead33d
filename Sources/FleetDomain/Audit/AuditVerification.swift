/// What verifying an audit chain found: intact, or the first record that is not as it was written.
public enum AuditVerification: Sendable, Equatable, CustomStringConvertible {
    /// Every record hashes to its stored hash, links to the one before, and the last matches the head.
    case intact(count: Int64, lastHash: String)
    /// The first place the chain is broken, in sequence order.
    case broken(firstBadSequence: Int64, what: AuditProblem)

    public var isIntact: Bool {
        if case .intact = self { true } else { false }
    }

    /// One sentence for people: `record 17 was altered (its hash does not match its content)`.
    public var description: String {
        switch self {
        case .intact(let count, let lastHash): "audit chain intact: \(count) records, head \(lastHash)"
        case .broken(let sequence, let what): what.sentence(sequence)
        }
    }
}

/// How a chain is broken.
public enum AuditProblem: String, Sendable, Equatable, Codable, CaseIterable {
    /// The record's content no longer hashes to its stored hash (a field was changed), or the last record
    /// does not match the stored head.
    case altered
    /// A record is missing: sequence numbers jump, a record's `previous_hash` is not the hash of the record
    /// before it (removed and the rest renumbered, or the one before rewritten), or the chain ends before
    /// the head says it does.
    case removed
    /// Records are not in sequence order (or a sequence number repeats).
    case reordered
    /// Records beyond the head: added to the table outside the store.
    case appended

    func sentence(_ sequence: Int64) -> String {
        switch self {
        case .altered: "record \(sequence) was altered (its hash does not match its content)"
        case .removed: "record \(sequence) was removed or replaced (the chain does not continue from record \(sequence - 1) there)"
        case .reordered: "record \(sequence) is out of order (sequence numbers must rise by one)"
        case .appended: "record \(sequence) was added outside the store (the chain head ends before it)"
        }
    }
}
