import FleetDomain
import Foundation
import GRDB

// The audit trail: appended under the single writer, listed by filters, verified in one snapshot.
extension SQLiteFleetStore {
    /// Reads the head, chains the entries after it, inserts them and moves the head, all in one write
    /// transaction: appends from concurrent requests queue on the writer and can never fork the chain.
    public func appendAudit(_ entries: [AuditEntry]) async throws -> [AuditRecord] {
        guard !entries.isEmpty else { return [] }
        return try await pool.write { db in
            guard let head = try AuditRows.head(db) else {
                throw StoreError(.corrupt, "audit_head has no row: the audit trail cannot be continued")
            }
            let (records, newHead) = AuditChain.seal(entries, after: head)
            for record in records { try AuditRows.insert(record, in: db) }
            try AuditRows.setHead(newHead, in: db)
            return records
        }
    }

    public func auditRecords(_ query: AuditQuery) async throws -> [AuditRecord] {
        guard query.limit > 0 else { return [] }
        return try await pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let device = query.device {
                conditions.append("device = ?")
                arguments += [device]
            }
            if let actor = query.actor {
                conditions.append("actor_name = ?")
                arguments += [actor]
            }
            if let since = query.since {
                conditions.append("at_ms >= ?")
                arguments += [AuditCanonicalForm.milliseconds(since)]
            }
            if let prefix = query.actionPrefix {
                // A plain prefix: LIKE would treat `_` and `%` as wildcards and ignore case.
                conditions.append("substr(action, 1, length(?)) = ?")
                arguments += [prefix, prefix]
            }
            if let after = query.after {
                conditions.append("sequence > ?")
                arguments += [after]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [query.limit]
            // After a sequence: the next page forward. Otherwise: the newest page, still oldest first.
            let sql = query.after != nil
                ? "SELECT \(AuditRows.columns) FROM audit_log \(filter) ORDER BY sequence LIMIT ?"
                : "SELECT * FROM (SELECT \(AuditRows.columns) FROM audit_log \(filter) ORDER BY sequence DESC LIMIT ?) ORDER BY sequence"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(AuditRows.record)
        }
    }

    /// Streams every record through the verifier inside one read transaction (a consistent snapshot while
    /// appends go on), in constant memory however long the trail.
    public func verifyAudit() async throws -> AuditVerification {
        try await pool.read { db in
            var verifier = AuditChainVerifier()
            let rows = try Row.fetchCursor(db, sql: "SELECT \(AuditRows.columns) FROM audit_log ORDER BY sequence")
            while let row = try rows.next() {
                let record: AuditRecord
                do {
                    record = try AuditRows.record(row)
                } catch {
                    // A value no append could have written: the row was edited.
                    let sequence = (try? row.decode(Int64.self, atIndex: 0)) ?? 0
                    return .broken(firstBadSequence: sequence, what: .altered)
                }
                if let problem = verifier.check(record) { return problem }
            }
            // A missing head row is itself tampering: judge the records against an empty chain's head.
            return verifier.finish(head: try AuditRows.head(db) ?? .empty)
        }
    }
}
