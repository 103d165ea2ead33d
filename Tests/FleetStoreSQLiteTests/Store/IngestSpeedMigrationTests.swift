import FleetDomain
@testable import FleetStoreSQLite
import GRDB
import XCTest

/// The telemetry table rebuilt without its journal-position index keeps every pack a store already held.
final class IngestSpeedMigrationTests: XCTestCase {
    func testRebuiltTelemetryTableKeepsStoredPacks() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ingest-migration-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let brk = serial("BRK-0001")
        let body = #"[{"bn":"urn:dev:sn:BRK-0001:","n":"voltage_l1","u":"V","v":230}]"#
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "create device_psk")
            try await queue.write { db in
                try db.execute(sql: """
                    INSERT INTO telemetry (id, serial, journal_segment, journal_offset, received_at, body)
                    VALUES (7, ?, 1, 120, ?, ?)
                    """, arguments: [brk.rawValue, at(5).timeIntervalSince1970, Data(body.utf8)])
            }
        }

        let store = try SQLiteFleetStore(path: path)
        let packs = try await store.telemetry(brk, limit: 10)
        XCTAssertEqual(packs.map(\.receivedAt), [at(5)])
        XCTAssertEqual(packs.first?.measurements.map(\.value), [230])
        let indexes = try await store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'telemetry'")
        }
        XCTAssertEqual(indexes, ["telemetry_by_device"])
        try store.close()
    }
}
