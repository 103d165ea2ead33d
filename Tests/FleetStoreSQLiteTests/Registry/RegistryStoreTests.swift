import FleetDomain
import FleetStoreSQLite
import Foundation
import XCTest

/// The registry's transactions on a real database file: all or nothing, and single-use claim codes.
final class RegistryStoreTests: XCTestCase {
    private var directory: URL!
    private var store: SQLiteFleetStore!

    override func setUp() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteFleetStore(path: directory.appendingPathComponent("fleet.sqlite").path)
        try await store.insertSite(yanhuMarket)
    }

    override func tearDown() async throws {
        try? store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    private func device(_ text: String) -> Device {
        Device(serial: serial(text), model: "BF-100", state: .provisioned, provisionedAt: at(0))
    }

    private func installation(_ text: String, circuit: String, method: Installation.Method = .token) -> Installation {
        Installation(id: "inst-\(text)-\(circuit)", serial: serial(text), siteID: "yanhu-market", circuit: circuit, method: method, installedBy: "crew", at: at(10))
    }

    func testAClaimCodeIsConsumedOnceAndAFailedInstallationWritesNothing() async throws {
        try await store.insertDevice(device("BRK-0001"))
        try await store.insertDevice(device("BRK-0002"))
        try await store.insertClaim(ClaimCode(id: "clm-1", hash: "h1", siteID: "yanhu-market", createdBy: "admin",
                                              createdAt: at(0), expiresAt: at(600)))
        let installed = try await store.recordInstallation(installation("BRK-0001", circuit: "L1"), claimID: "clm-1", expectingSite: nil)
        XCTAssertEqual(installed.state, .active)
        do {
            _ = try await store.recordInstallation(installation("BRK-0002", circuit: "L2"), claimID: "clm-1", expectingSite: nil)
            XCTFail("a used claim code must be refused")
        } catch let error as StoreError {
            XCTAssertEqual(error.code, .conflict)
        }
        let second = try await store.device(serial("BRK-0002"))
        XCTAssertEqual(second?.state, .provisioned, "the refused installation rolled back")
        let noAssignment = try await store.assignment(of: serial("BRK-0002"))
        XCTAssertNil(noAssignment)
        let noHistory = try await store.installations(of: serial("BRK-0002"))
        XCTAssertEqual(noHistory, [])
        let claim = try await store.claim(hash: "h1")
        XCTAssertEqual(claim?.redeemedSerial, serial("BRK-0001"))
    }

    func testAnImportIsAllOrNothing() async throws {
        try await store.insertDevice(device("BRK-0100"))
        _ = try await store.recordInstallation(installation("BRK-0100", circuit: "L2"), claimID: nil, expectingSite: nil)
        let items = ["BRK-0101", "BRK-0102"].enumerated().map { index, text in
            ImportedDevice(device: device(text), installation: installation(text, circuit: "L\(index + 1)", method: .import))
        }
        do {
            try await store.importDevices(items)
            XCTFail("L2 is held by BRK-0100")
        } catch let error as StoreError {
            XCTAssertEqual(error.code, .conflict)
        }
        let none = try await store.devices(serials: [serial("BRK-0101"), serial("BRK-0102")])
        XCTAssertEqual(none, [], "nothing of the refused import was written")
        _ = try await store.retire(Retirement(serial: serial("BRK-0100"), state: .decommissioned, reason: "r", by: "a", at: at(20)))
        try await store.importDevices(items)
        let both = try await store.assignments(serials: [], sites: ["yanhu-market"])
        XCTAssertEqual(both.map(\.serial.rawValue), ["BRK-0101", "BRK-0102"], "decommissioning freed L2")
    }

    func testTokensKeepTheirCountiesAndRevocation() async throws {
        let token = StoredToken(id: "t1", name: "crew", role: .installer, hash: "ab", createdAt: at(0), counties: ["140802", "140821"])
        try await store.insertToken(token)
        let loaded = try await store.token(hash: "ab")
        XCTAssertEqual(loaded?.counties, ["140802", "140821"])
        let revoked = try await store.revokeToken(id: "t1", at: at(5))
        XCTAssertEqual(revoked?.revokedAt, at(5))
        let again = try await store.revokeToken(id: "t1", at: at(9))
        XCTAssertEqual(again?.revokedAt, at(5), "revoking twice keeps the first time")
        let unknown = try await store.revokeToken(id: "nope", at: at(9))
        XCTAssertNil(unknown)
    }
}
