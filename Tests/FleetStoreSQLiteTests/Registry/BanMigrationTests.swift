import FleetDomain
@testable import FleetStoreSQLite
import GRDB
import XCTest

/// CA bans made by subject CN before bans were by fingerprint are kept readable as `ca-name` and match
/// nothing; new CA bans carry a fingerprint and, for people, the CA's name.
final class BanMigrationTests: XCTestCase {
    func testCNBansBecomeCANameBansThatMatchNothing() async throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ban-migration-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "create retirements and bans")
            try await queue.write { db in
                try db.execute(sql: """
                    INSERT INTO bans (kind, subject, reason, by, at) VALUES
                        ('ca', 'Acme Factory CA', 'key leaked', 'admin', 5),
                        ('model', 'BF-100', 'recall', 'admin', 6)
                    """)
            }
        }

        let store = try SQLiteFleetStore(path: path)
        let migrated = try await store.bans()
        XCTAssertEqual(migrated, [
            Ban(kind: .caName, subject: "Acme Factory CA", name: "Acme Factory CA", reason: "key leaked", by: "admin",
                at: Date(timeIntervalSince1970: 5)),
            Ban(kind: .model, subject: "BF-100", reason: "recall", by: "admin", at: Date(timeIntervalSince1970: 6)),
        ])
        XCTAssertEqual(migrated.compactMap(\.caFingerprint), [], "a name bans nothing")

        let fingerprint = String(repeating: "0f", count: 32)
        try await store.insertBan(Ban(kind: .ca, subject: fingerprint, name: "Acme Factory CA", reason: "key leaked", by: "admin", at: at(7)))
        let bans = try await store.bans()
        XCTAssertEqual(bans.first { $0.kind == .ca }?.caFingerprint, Array(repeating: 0x0f, count: 32))
        XCTAssertEqual(bans.first { $0.kind == .ca }?.name, "Acme Factory CA")
        try store.close()
    }

    func testABanByFingerprintIsValidatedAsOne() {
        let ban = { (kind: Ban.Kind, subject: String) in Ban(kind: kind, subject: subject, reason: "r", by: "a", at: at(0)) }
        XCTAssertEqual(ban(.ca, String(repeating: "ab", count: 32)).validate(), [])
        XCTAssertEqual(ban(.ca, "Acme Factory CA").validate().map(\.field), ["subject"])
        XCTAssertEqual(ban(.ca, String(repeating: "AB", count: 32)).validate().map(\.field), ["subject"], "lowercase only")
        XCTAssertEqual(ban(.caName, "Acme Factory CA").validate().map(\.field), ["kind"], "no new bans by name")
    }
}
