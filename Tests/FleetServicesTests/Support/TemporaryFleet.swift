import FleetDomain
import FleetStoreSQLite
import Foundation
import Logging
import Synchronization
import XCTest

/// 2025-11-29T00:00:00Z, the spec's example time.
let t0 = Date(timeIntervalSince1970: 1_764_384_000)

func serial(_ text: String) -> Serial {
    guard let serial = Serial(text) else { fatalError("bad test serial \(text)") }
    return serial
}

let quietLogger = Logger(label: "FleetServicesTests") { _ in SwiftLogNoOpLogHandler() }

/// A fleet store in a temporary folder, with one model certified for a day from `t0` and one site.
final class TemporaryFleet {
    let directory: URL
    let store: SQLiteFleetStore

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("services-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteFleetStore(path: directory.appendingPathComponent("fleet.sqlite").path)
        try await store.insertModel(CertifiedModel(
            code: "BF-100", manufacturer: "Acme", certificationNumber: "CCC-1", validFrom: t0,
            validUntil: t0.addingTimeInterval(86_400), ratedCurrentA: 63, poles: 2, capabilities: [.leakage, .temperature]))
        try await store.insertSite(Site(
            id: "yanhu-market", name: "盐湖市场", category: .commerce, county: "140802", address: "1 Road",
            manager: SiteManager(name: "Li", phone: "+86 359 1234567", webhookURL: nil)))
    }

    func remove() {
        try? store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A test with a fresh `TemporaryFleet` for each test method.
class FleetTestCase: XCTestCase {
    var fleet: TemporaryFleet!

    override func setUp() async throws {
        fleet = try await TemporaryFleet()
    }

    override func tearDown() async throws {
        fleet.remove()
    }
}

/// What a callback was handed, in order.
final class Recorder<Item: Sendable>: Sendable {
    private let recorded = Mutex<[Item]>([])

    func append(_ item: Item) { recorded.withLock { $0.append(item) } }
    var items: [Item] { recorded.withLock { $0 } }
}

/// Waits (a few milliseconds at a time, up to `seconds`) for `condition`, which work running in other
/// tasks makes true.
func waitUntil(seconds: Double = 5, file: StaticString = #filePath, line: UInt = #line,
               _ condition: () -> Bool) async throws {
    let end = ContinuousClock.now + .seconds(seconds)
    while !condition() {
        guard ContinuousClock.now < end else { return XCTFail("timed out", file: file, line: line) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// Lets tasks that were just started run up to their next suspension (a timer's sleep, say).
func yieldToOtherTasks() async {
    for _ in 0..<100 { await Task.yield() }
}
