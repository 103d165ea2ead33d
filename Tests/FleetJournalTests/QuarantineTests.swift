@testable import FleetJournal
import DeviceWire
import FleetDomain
@testable import FleetStoreSQLite
import Foundation
import GRDB
import Logging
import XCTest

/// A record the store refuses for its content must not stall ingest: it is quarantined with the error and
/// the records after it go in. The store is real SQLite; a trigger plays a record it cannot take.
final class QuarantineTests: XCTestCase {
    private var folder: URL!
    private var store: SQLiteFleetStore!

    override func setUp() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("quarantine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteFleetStore(path: folder.appendingPathComponent("fleet.sqlite").path)
        try await store.pool.write { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_poison BEFORE INSERT ON telemetry WHEN NEW.serial = 'BRK-POISON'
                BEGIN SELECT RAISE(ABORT, 'this record cannot be stored'); END;
                """)
        }
    }

    override func tearDown() async throws {
        try? store?.close()
        try? FileManager.default.removeItem(at: folder)
    }

    private func record(_ serial: String, offset: UInt64) throws -> JournaledRecord {
        let body = Array(#"[{"bn":"urn:dev:sn:\#(serial):","n":"voltage_l1","u":"V","v":229.5}]"#.utf8)
        let serial = Serial(serial)!
        let pack = try SenML.parse(body, serial: serial, now: 1_764_384_000)
        return JournaledRecord(
            position: JournalPosition(segment: 1, offset: offset),
            record: .telemetry(TelemetryRecord(serial: serial, receivedAt: Date(timeIntervalSince1970: 1_764_384_000), body: body, pack: pack)))
    }

    func testTheStoreNamesARefusedRecordAsSuch() async throws {
        do {
            try await store.apply([try record("BRK-POISON", offset: 100)], through: JournalPosition(segment: 1, offset: 100))
            XCTFail("the trigger refuses it")
        } catch let error as StoreError {
            XCTAssertEqual(error.code, .recordRefused)
            XCTAssertTrue(error.message.contains("this record cannot be stored"), error.message)
        }
    }

    func testARefusedRecordIsQuarantinedAndIngestGoesOn() async throws {
        let pipeline = IngestPipeline(
            store: store, replayer: JournalReplayer(directory: folder.appendingPathComponent("journal"), logger: Logger(label: "test")),
            logger: Logger(label: "test"), batchWindow: .zero)
        let running = Task { await pipeline.run() }
        pipeline.submit(try record("BRK-0001", offset: 100))
        pipeline.submit(try record("BRK-POISON", offset: 200))
        pipeline.submit(try record("BRK-0002", offset: 300))
        await pipeline.flush()
        pipeline.stop()
        await running.value

        let stored = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM telemetry") }
        XCTAssertEqual(stored, 2, "the records around the refused one are in")
        let quarantined = try await store.quarantinedRecords(limit: 10)
        XCTAssertEqual(quarantined.map(\.serial), ["BRK-POISON"])
        XCTAssertEqual(quarantined.first?.journalOffset, 200)
        XCTAssertEqual(quarantined.first?.kind, "telemetry")
        XCTAssertTrue(quarantined.first?.error.contains("this record cannot be stored") == true)
        XCTAssertTrue(quarantined.first?.body.contains("BRK-POISON") == true, "the body is kept for inspection")
        let checkpoint = try await store.appliedPosition()
        XCTAssertEqual(checkpoint, JournalPosition(segment: 1, offset: 300), "the checkpoint moved past everything")
    }
}
