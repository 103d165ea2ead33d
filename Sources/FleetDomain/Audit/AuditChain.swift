import Crypto

/// The hash chain of the audit trail, as pure functions: sealing new entries onto a head, and verifying
/// stored records against the head. Stores call these inside their transactions; nothing here does I/O.
public enum AuditChain {
    /// The `previousHash` of record 1: 64 zeros.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Lowercase hex SHA-256 of the record's canonical form.
    public static func hash(of entry: AuditEntry, sequence: Int64, previousHash: String) -> String {
        Hex.encode(SHA256.hash(data: AuditCanonicalForm.bytes(of: entry, sequence: sequence, previousHash: previousHash)))
    }

    /// The hash a stored record should carry, computed from its content.
    public static func expectedHash(of record: AuditRecord) -> String {
        hash(of: record.entry, sequence: record.sequence, previousHash: record.previousHash)
    }

    /// Chains `entries` after `head`, in order: sequence numbers from `head.count + 1`, each linked to the
    /// one before. Times are cut to whole milliseconds first, so the records equal what a store reads back.
    /// Returns the records and the new head.
    public static func seal(_ entries: [AuditEntry], after head: AuditHead) -> (records: [AuditRecord], head: AuditHead) {
        var head = head
        var records: [AuditRecord] = []
        records.reserveCapacity(entries.count)
        for var entry in entries {
            entry.at = AuditCanonicalForm.date(milliseconds: AuditCanonicalForm.milliseconds(entry.at))
            let sequence = head.count + 1
            let hash = hash(of: entry, sequence: sequence, previousHash: head.hash)
            records.append(AuditRecord(sequence: sequence, entry: entry, previousHash: head.hash, hash: hash))
            head = AuditHead(count: sequence, hash: hash)
        }
        return (records, head)
    }

    /// Verifies records given in stored order (by sequence) against the head kept with them; without a
    /// head, a chain cut short at its end cannot be told from a shorter one.
    public static func verify(_ records: some Sequence<AuditRecord>, head: AuditHead?) -> AuditVerification {
        var verifier = AuditChainVerifier()
        for record in records {
            if let problem = verifier.check(record) { return problem }
        }
        return verifier.finish(head: head)
    }
}

/// Verification one record at a time, so a store can stream a long chain through it in constant memory.
public struct AuditChainVerifier: Sendable {
    /// The sequence number the next record must have.
    private var expected: Int64 = 1
    private var previousHash = AuditChain.genesisHash

    public init() {}

    /// Checks the next record; the first problem found, or nil if it continues the chain.
    public mutating func check(_ record: AuditRecord) -> AuditVerification? {
        if record.sequence < expected {
            return .broken(firstBadSequence: record.sequence, what: .reordered)
        }
        if record.sequence > expected {
            return .broken(firstBadSequence: expected, what: .removed)
        }
        // Content first: a record edited in place is "altered", even though its link is intact.
        if AuditChain.expectedHash(of: record) != record.hash {
            return .broken(firstBadSequence: record.sequence, what: .altered)
        }
        if record.previousHash != previousHash {
            return .broken(firstBadSequence: record.sequence, what: .removed)
        }
        expected += 1
        previousHash = record.hash
        return nil
    }

    /// After the last record: the chain must end where the head says.
    public func finish(head: AuditHead?) -> AuditVerification {
        let count = expected - 1
        guard let head else { return .intact(count: count, lastHash: previousHash) }
        if head.count > count { return .broken(firstBadSequence: count + 1, what: .removed) }
        if head.count < count { return .broken(firstBadSequence: head.count + 1, what: .appended) }
        // Same length, other end: the last record was rewritten with a new hash (or the head was).
        if head.hash != previousHash { return .broken(firstBadSequence: max(count, 1), what: .altered) }
        return .intact(count: count, lastHash: previousHash)
    }
}
