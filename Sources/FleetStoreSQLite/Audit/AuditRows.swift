import FleetDomain
import Foundation
import GRDB

/// Audit records to and from `audit_log` rows.
enum AuditRows {
    static let columns = """
        sequence, at_ms, actor_name, actor_role, action, target, device, reason, breaker, detail, previous_hash, hash
        """

    static func insert(_ record: AuditRecord, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO audit_log (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [
                record.sequence, record.atMilliseconds, record.actor.name, record.actor.role, record.action,
                record.target, record.device, record.reason, record.breaker, try detailJSON(record.detail),
                record.previousHash, record.hash,
            ])
    }

    /// A row selected with `columns`. Throws for a value that cannot be what was written (a mistyped
    /// column, detail that is not a JSON object of strings): verification reports that row as altered.
    static func record(_ row: Row) throws -> AuditRecord {
        let entry = AuditEntry(
            at: AuditCanonicalForm.date(milliseconds: try row.decode(Int64.self, atIndex: 1)),
            actor: AuditActor(name: try row.decode(atIndex: 2), role: try row.decode(atIndex: 3)),
            action: try row.decode(atIndex: 4), target: try row.decode(atIndex: 5), device: try row.decode(atIndex: 6),
            reason: try row.decode(atIndex: 7), breaker: try row.decode(atIndex: 8),
            detail: try detail(try row.decode(String.self, atIndex: 9)))
        return AuditRecord(sequence: try row.decode(atIndex: 0), entry: entry, previousHash: try row.decode(atIndex: 10),
                           hash: try row.decode(atIndex: 11))
    }

    static func head(_ db: Database) throws -> AuditHead? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT count, hash FROM audit_head WHERE id = 1")).map { row in
            AuditHead(count: try row.decode(atIndex: 0), hash: try row.decode(atIndex: 1))
        }
    }

    static func setHead(_ head: AuditHead, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE audit_head SET count = ?, hash = ? WHERE id = 1")
            .execute(arguments: [head.count, head.hash])
    }

    /// Sorted keys, so the column reads the same however the dictionary was built.
    static func detailJSON(_ detail: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(detail), as: UTF8.self)
    }

    static func detail(_ json: String) throws -> [String: String] {
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
        } catch {
            throw StoreError(.corrupt, "audit detail is not a JSON object of strings: \(json.prefix(80))")
        }
    }
}
