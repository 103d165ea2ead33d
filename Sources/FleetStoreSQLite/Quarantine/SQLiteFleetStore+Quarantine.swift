import FleetDomain
import Foundation
import GRDB

extension DatabaseMigrator {
    mutating func registerQuarantineMigrations() {
        registerMigration("create ingest_quarantine") { db in
            try db.execute(sql: """
                CREATE TABLE ingest_quarantine (
                    id              INTEGER PRIMARY KEY AUTOINCREMENT,
                    serial          TEXT NOT NULL,
                    kind            TEXT NOT NULL,
                    journal_segment INTEGER NOT NULL,
                    journal_offset  INTEGER NOT NULL,
                    received_at     REAL NOT NULL,
                    quarantined_at  REAL NOT NULL,
                    error           TEXT NOT NULL,
                    body            TEXT NOT NULL
                );
                """)
        }
    }
}

// The dead-letter table of ingest: records the store refuses, set aside so ingest goes on.
extension SQLiteFleetStore {
    public func quarantine(_ record: JournaledRecord, error: String, at now: Date) async throws {
        let (kind, receivedAt, body) = Self.summary(of: record.record)
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO ingest_quarantine (serial, kind, journal_segment, journal_offset, received_at, quarantined_at, error, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.record.serial.rawValue, kind, record.position.columnSegment, record.position.columnOffset,
                                 receivedAt.timeIntervalSince1970, now.timeIntervalSince1970, error, body])
            // Past the refused record, like an applied one (an empty plan only moves the checkpoint).
            try Ingest.apply(IngestPlan([]), through: record.position, in: db)
        }
    }

    public func quarantinedRecords(limit: Int) async throws -> [QuarantinedRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT serial, kind, journal_segment, journal_offset, received_at, quarantined_at, error, body
                FROM ingest_quarantine ORDER BY id DESC LIMIT ?
                """, arguments: [limit]).map { row in
                let position = JournalPosition(columnSegment: row["journal_segment"], columnOffset: row["journal_offset"])
                return QuarantinedRecord(
                    serial: row["serial"], kind: row["kind"], journalSegment: position.segment, journalOffset: position.offset,
                    receivedAt: Date(timeIntervalSince1970: row["received_at"]),
                    quarantinedAt: Date(timeIntervalSince1970: row["quarantined_at"]), error: row["error"], body: row["body"])
            }
        }
    }

    /// The kind, arrival time and a readable body of a record.
    static func summary(of record: IngestRecord) -> (String, Date, String) {
        switch record {
        case .telemetry(let telemetry): ("telemetry", telemetry.receivedAt, String(decoding: telemetry.body, as: UTF8.self))
        case .registration(let registration): ("registration", registration.receivedAt, String(describing: registration.request))
        case .event(let event): ("event", event.receivedAt, String(describing: event.report))
        case .profileReport(let report): ("profile_report", report.receivedAt, String(describing: report.report))
        case .commandResult(let result): ("command_result", result.receivedAt, "\(result.commandID) \(result.report)")
        case .heartbeat(let heartbeat): ("heartbeat", heartbeat.receivedAt, String(describing: heartbeat.report))
        }
    }
}
