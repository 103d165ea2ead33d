import DeviceWire
import FleetDomain
import FleetServices
import FleetStoreSQLite
import Foundation
import Synchronization
import XCTest

/// Profiles on a real database file: immutable versions, loading from files, precedence over the fleet's
/// sites and models, and device reports arriving through the ingest path.
final class ProfileStoreTests: XCTestCase {
    private var directory: URL!
    private var store: SQLiteFleetStore!
    private var service: ProfileService!
    private let published = Publications()

    override func setUp() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteFleetStore(path: directory.appendingPathComponent("fleet.sqlite").path)
        service = makeService()
        try await store.insertModel(CertifiedModel(
            code: "BF-100", manufacturer: "Acme", certificationNumber: "CCC-1", validFrom: t0, validUntil: at(86_400 * 365),
            ratedCurrentA: 63, poles: 2, capabilities: [.leakage, .temperature]))
        try await store.insertSite(yanhuMarket)
    }

    override func tearDown() async throws {
        try? store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    private func makeService() -> ProfileService {
        ProfileService(store: store, clock: ManualWallClock(t0)) { [published] publication in published.items.withLock { $0.append(publication) } }
    }

    private func document(_ id: String, category: SiteCategory, _ change: (inout ThresholdProfile) -> Void = { _ in }) -> ProfileDocument {
        var profile = ThresholdProfile.factoryDefault
        profile.id = id
        profile.siteCategory = category
        change(&profile)
        return ProfileDocument(fileName: "\(id).json", bytes: profile.jsonBytes())
    }

    private func install(_ text: String, at site: String = "yanhu-market") async throws {
        try await store.insertDevice(Device(serial: serial(text), model: "BF-100", state: .provisioned, provisionedAt: t0))
        _ = try await store.recordInstallation(
            Installation(id: "inst-\(text)", serial: serial(text), siteID: site, circuit: "L-\(text)", method: .token, installedBy: "crew", at: at(1)),
            claimID: nil, expectingSite: nil)
    }

    func testVersionsAreFleetWideImmutableAndOnlyChangesMakeNewOnes() async throws {
        let first = try await store.saveProfile(.factoryDefault, source: "test", at: t0)
        XCTAssertEqual(first.stored.version, 1)
        var other = ThresholdProfile.factoryDefault
        other.id = "shops"
        let otherVersion = try await store.saveProfile(other, source: "test", at: t0).stored.version
        XCTAssertEqual(otherVersion, 2)
        guard case .unchanged(let same) = try await store.saveProfile(.factoryDefault, source: "again", at: at(5)) else {
            return XCTFail("the same content is not a new version")
        }
        XCTAssertEqual(same.version, 1)
        var changed = ThresholdProfile.factoryDefault
        changed.leakage.alarmMA = 250
        guard case .created(let third) = try await store.saveProfile(changed, source: "test", at: at(9)) else {
            return XCTFail("a change is a new version")
        }
        XCTAssertEqual(third.version, 3, "numbered across all profiles")
        let defaultVersions = try await store.profileVersions("default").map(\.version)
        XCTAssertEqual(defaultVersions, [1, 3])
        let firstAlarm = try await store.profile("default", version: 1)?.profile.leakage.alarmMA
        XCTAssertEqual(firstAlarm, 300, "old versions are kept as they were")
        let latestVersions = try await store.latestProfiles().map(\.version)
        XCTAssertEqual(latestVersions, [3, 2])
    }

    func testLoadingSeedsCategoriesOnceAndNeverOverwritesAnAPIChangeWithAnUnchangedFile() async throws {
        let files = [document("default", category: .default), document("commerce", category: .commerce)]
        _ = try await service.load(files)
        let seeded = try await store.profileAssignments().map(\.target)
        XCTAssertEqual(seeded, [.category(.commerce)])
        var pushed = ThresholdProfile.factoryDefault
        pushed.id = "commerce"
        pushed.siteCategory = .commerce
        pushed.reporting.telemetryIntervalS = 60
        _ = try await service.push(pushed.jsonBytes(), source: "api admin")
        _ = try await store.removeProfileAssignment(.category(.commerce))

        // A restart with the same files: no new version, no new assignment.
        let outcomes = try await makeService().load(files)
        XCTAssertTrue(outcomes.allSatisfy { if case .unchanged = $0 { true } else { false } })
        let keptInterval = try await store.profile("commerce", version: nil)?.profile.reporting.telemetryIntervalS
        XCTAssertEqual(keptInterval, 60)
        let noAssignments = try await store.profileAssignments().isEmpty
        XCTAssertTrue(noAssignments)

        // An edited file is a new version.
        let edited = document("commerce", category: .commerce) { $0.reporting.telemetryIntervalS = 30 }
        _ = try await makeService().load([files[0], edited])
        let editedInterval = try await store.profile("commerce", version: nil)?.profile.reporting.telemetryIntervalS
        XCTAssertEqual(editedInterval, 30)
    }

    func testABadFileRefusesTheWholeSetNamingEveryProblem() async throws {
        let bad = document("commerce", category: .commerce) { $0.leakage.alarmMA = 5000; $0.power.limitW = 50 }
        let misnamed = ProfileDocument(fileName: "shops.json", bytes: document("commerce", category: .commerce).bytes)
        do {
            _ = try await service.load([document("default", category: .default), bad, misnamed])
            XCTFail("loaded a bad set")
        } catch let error as ProfileLoadError {
            XCTAssertEqual(error.problems.count, 3, "\(error)")
            XCTAssertTrue(error.problems.contains { $0.hasPrefix("commerce.json: leakage.alarm_ma: 5000 is above 1000") }, "\(error)")
            XCTAssertTrue(error.problems.contains { $0.hasPrefix("shops.json: id commerce must equal the file name") }, "\(error)")
        }
        let nothingStored = try await store.latestProfiles().isEmpty
        XCTAssertTrue(nothingStored, "nothing stored")
    }

    func testPrecedenceRunsOverTheFleetAndReportsArriveThroughIngest() async throws {
        _ = try await service.load([document("default", category: .default), document("commerce", category: .commerce)])
        try await install("BRK-0001")
        try await store.insertDevice(Device(serial: serial("BRK-0002"), model: "BF-100", state: .provisioned, provisionedAt: t0))
        let changes = try await service.recompute()
        XCTAssertEqual(changes[serial("BRK-0001")]?.desired?.profileID, "commerce")
        XCTAssertEqual(changes[serial("BRK-0002")]?.desired?.profileID, "default")
        XCTAssertEqual(published.items.withLock { $0.last?.desired.count }, 2)
        let unchanged = try await service.recompute().isEmpty
        XCTAssertTrue(unchanged, "nothing changed, nothing published as changed")

        let stored = try await store.profile("commerce", version: nil)
        let commerce = try XCTUnwrap(stored)
        var journal = FakeJournal()
        let report = ProfileReportRecord(serial: serial("BRK-0001"), report: .init(id: "commerce", version: commerce.version, result: .applied), receivedAt: at(30))
        let records = journal.append([.profileReport(report)])
        try await store.apply(records, through: journal.position)
        try await store.apply(records, through: journal.position)
        let states = try await store.deviceProfileStates()
        let first = try XCTUnwrap(states.first { $0.serial == serial("BRK-0001") })
        XCTAssertEqual(first.report, report.report)
        XCTAssertEqual(first.progress(at: at(40), staleAfterHeartbeats: 3), .applied)
        XCTAssertEqual(first.desiredSince, t0)

        // The device moves to a profile with a longer heartbeat: presence follows it.
        var slow = ThresholdProfile.factoryDefault
        slow.id = "slow"
        slow.reporting.heartbeatS = 600
        _ = try await service.push(slow.jsonBytes(), source: "api admin")
        let outcome = try await service.assign("slow", to: .device(serial("BRK-0001")), by: "admin")
        XCTAssertEqual(outcome.devicesChanged, 1)
        let heartbeat = try await store.device(serial("BRK-0001"))?.heartbeatSeconds
        XCTAssertEqual(heartbeat, 600)
        let moved = try await store.deviceProfileStates().first { $0.serial == serial("BRK-0001") }
        XCTAssertEqual(moved?.progress(at: at(40), staleAfterHeartbeats: 3), .pending)

        do {
            _ = try await service.assign("slow", to: .site("nowhere"), by: "admin")
            XCTFail("assigned to a site that does not exist")
        } catch let error as DomainError {
            XCTAssertEqual(error.code, .notFound)
        }
    }

    func testConcurrentChangesPublishInTheOrderTheyAreStored() async throws {
        _ = try await service.load([document("default", category: .default), document("commerce", category: .commerce)])
        try await install("BRK-0001")
        _ = try await service.recompute()
        // A device plane that takes a moment to take each outcome: without serial changes, an older outcome
        // would now often land last.
        let service = ProfileService(store: store, clock: ManualWallClock(t0)) { [published] publication in
            try? await Task.sleep(for: .milliseconds(Int.random(in: 0...5)))
            published.items.withLock { $0.append(publication) }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for round in 0..<20 {
                group.addTask {
                    _ = try await service.assign(round.isMultiple(of: 2) ? "default" : "commerce", to: .device(serial("BRK-0001")), by: "admin \(round)")
                }
            }
            try await group.waitForAll()
        }
        let stored = try await store.deviceProfileStates().first { $0.serial == serial("BRK-0001") }?.resolution.desired
        let assigned = try await store.profileAssignments().first { $0.target == .device(serial("BRK-0001")) }?.profileID
        let lastPublished = published.items.withLock { items in items.last { $0.desired[serial("BRK-0001")] != nil } }?
            .desired[serial("BRK-0001")] ?? nil
        XCTAssertEqual(stored?.profileID, assigned, "the store holds what was assigned last")
        XCTAssertEqual(lastPublished, stored, "and the device plane was told that last")
    }
}

/// What the service told the device plane.
private final class Publications: Sendable {
    let items = Mutex<[ProfilePublication]>([])
}
