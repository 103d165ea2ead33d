import FleetDomain
@testable import FleetStoreSQLite
import GRDB
import XCTest

/// The audit trail on SQLite: one chain however many append at once, filters, the append-only triggers,
/// and verification of what someone with the file changed behind the store's back.
final class AuditStoreTests: XCTestCase {
    private var path = ""
    private var store: SQLiteFleetStore!

    override func setUp() async throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).sqlite").path
        store = try SQLiteFleetStore(path: path)
    }

    override func tearDown() async throws {
        try store?.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private static func entry(_ index: Int, actor: String = "alice", action: String = "device.install",
                       device: String? = nil) -> AuditEntry {
        AuditEntry(at: at(Double(index) + 0.25), actor: AuditActor(name: actor, role: "admin"), action: action,
                   target: "device:\(device ?? "BRK-\(1000 + index)")", device: device ?? "BRK-\(1000 + index)",
                   reason: index.isMultiple(of: 2) ? "even" : nil, detail: ["n": "\(index)"])
    }

    /// A second connection to the file, as someone with access to it would have.
    private func tamper(_ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
    }

    func testAppendedRecordsReadBackAsReturnedAndVerify() async throws {
        let first = try await store.appendAudit((1...3).map { Self.entry($0) })
        let second = try await store.appendAudit([Self.entry(4)])
        XCTAssertEqual((first + second).map(\.sequence), [1, 2, 3, 4])
        XCTAssertEqual(second[0].previousHash, first[2].hash)
        let stored = try await store.auditRecords(AuditQuery())
        XCTAssertEqual(stored, first + second, "times, optionals and detail round-trip exactly")
        let verification = try await store.verifyAudit()
        XCTAssertEqual(verification, .intact(count: 4, lastHash: second[0].hash))
        let empty = try await store.appendAudit([])
        XCTAssertEqual(empty, [])
    }

    func testAnEmptyTrailIsIntact() async throws {
        let verification = try await store.verifyAudit()
        XCTAssertEqual(verification, .intact(count: 0, lastHash: AuditChain.genesisHash))
    }

    func testConcurrentAppendersKeepOneChain() async throws {
        let store: SQLiteFleetStore = store
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<25 {
                        _ = try await store.appendAudit([Self.entry(writer * 100 + index, actor: "writer-\(writer)")])
                    }
                }
            }
            try await group.waitForAll()
        }
        let records = try await store.auditRecords(AuditQuery(limit: 1000))
        XCTAssertEqual(records.map(\.sequence), Array(1...200))
        for writer in 0..<8 {
            let own = try await store.auditRecords(AuditQuery(actor: "writer-\(writer)", limit: 1000))
            XCTAssertEqual(own.map { $0.detail["n"] }, (0..<25).map { "\(writer * 100 + $0)" }, "each writer's order kept")
        }
        let verification = try await store.verifyAudit()
        XCTAssertEqual(verification, .intact(count: 200, lastHash: records.last!.hash))
    }

    func testFiltersCombineAndPagesRunOldestFirst() async throws {
        _ = try await store.appendAudit([
            Self.entry(1, actor: "alice", action: "device.install", device: "BRK-0001"),
            Self.entry(2, actor: "bob", action: "device.move", device: "BRK-0001"),
            Self.entry(3, actor: "alice", action: "ban.add", device: nil),
            Self.entry(4, actor: "bob", action: "device_x", device: "BRK-0002"),
            Self.entry(5, actor: "alice", action: "device.revoke", device: "BRK-0001"),
        ])
        func sequences(_ query: AuditQuery) async throws -> [Int64] { try await store.auditRecords(query).map(\.sequence) }
        let byDevice = try await sequences(AuditQuery(device: "BRK-0001"))
        XCTAssertEqual(byDevice, [1, 2, 5])
        let byActor = try await sequences(AuditQuery(actor: "bob"))
        XCTAssertEqual(byActor, [2, 4])
        let byPrefix = try await sequences(AuditQuery(actionPrefix: "device."))
        XCTAssertEqual(byPrefix, [1, 2, 5], "a plain prefix: `_` is not a wildcard")
        let since = try await sequences(AuditQuery(since: at(3.25)))
        XCTAssertEqual(since, [3, 4, 5])
        let combined = try await sequences(AuditQuery(device: "BRK-0001", actor: "alice", actionPrefix: "device."))
        XCTAssertEqual(combined, [1, 5])
        let newest = try await sequences(AuditQuery(limit: 2))
        XCTAssertEqual(newest, [4, 5], "without after: the newest page, oldest first")
        let next = try await sequences(AuditQuery(limit: 2, after: 1))
        XCTAssertEqual(next, [2, 3])
    }

    func testTheTriggersRefuseUpdatesAndDeletes() async throws {
        _ = try await store.appendAudit([Self.entry(1), Self.entry(2)])
        XCTAssertThrowsError(try tamper("UPDATE audit_log SET reason = 'x' WHERE sequence = 1")) { error in
            XCTAssertTrue("\(error)".contains("append-only"), "\(error)")
        }
        XCTAssertThrowsError(try tamper("DELETE FROM audit_log WHERE sequence = 2"))
        XCTAssertThrowsError(try tamper("UPDATE audit_head SET count = 1"))
        XCTAssertThrowsError(try tamper("DELETE FROM audit_head"))
        let verification = try await store.verifyAudit()
        XCTAssertTrue(verification.isIntact, "\(verification)")
    }

    func testARowEditedBehindTheTriggersIsNamed() async throws {
        _ = try await store.appendAudit((1...5).map { Self.entry($0) })
        try tamper("DROP TRIGGER audit_log_refuses_update; UPDATE audit_log SET reason = 'covered up' WHERE sequence = 3")
        let verification = try await store.verifyAudit()
        XCTAssertEqual(verification, .broken(firstBadSequence: 3, what: .altered))
    }

    func testADetailThatIsNoLongerJSONIsAnAlteredRecord() async throws {
        _ = try await store.appendAudit((1...3).map { Self.entry($0) })
        try tamper("DROP TRIGGER audit_log_refuses_update; UPDATE audit_log SET detail = 'gone' WHERE sequence = 2")
        let verification = try await store.verifyAudit()
        XCTAssertEqual(verification, .broken(firstBadSequence: 2, what: .altered))
    }

    func testDeletedRowsAreNamedInTheMiddleAndAtTheEnd() async throws {
        _ = try await store.appendAudit((1...5).map { Self.entry($0) })
        try tamper("DROP TRIGGER audit_log_refuses_delete; DELETE FROM audit_log WHERE sequence = 5")
        var verification = try await store.verifyAudit()
        XCTAssertEqual(verification, .broken(firstBadSequence: 5, what: .removed), "the head remembers record 5")
        try tamper("DELETE FROM audit_log WHERE sequence = 2")
        verification = try await store.verifyAudit()
        XCTAssertEqual(verification, .broken(firstBadSequence: 2, what: .removed))
    }

    func testAppendsContinueTheChainAfterTheStoreIsReopened() async throws {
        _ = try await store.appendAudit([Self.entry(1)])
        try store.close()
        store = try SQLiteFleetStore(path: path)
        let more = try await store.appendAudit([Self.entry(2)])
        XCTAssertEqual(more.map(\.sequence), [2])
        let verification = try await store.verifyAudit()
        XCTAssertEqual(verification, .intact(count: 2, lastHash: more[0].hash))
    }
}
