import FleetDomain
import FleetStoreSQLite
import Foundation
import XCTest

/// Commands on a real database file: issue order, every transition kept across a reopen, concurrent events
/// never losing a transition, expiry, and what the device plane polls.
final class CommandStoreTests: XCTestCase {
    private var directory: URL!
    private var store: SQLiteFleetStore!
    private let random = SeededRandomSource(seed: 11)

    override func setUp() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("commands-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteFleetStore(path: path)
    }

    override func tearDown() async throws {
        try? store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    private var path: String { directory.appendingPathComponent("fleet.sqlite").path }

    private func issue(_ action: RemoteAction, to device: String, at seconds: Double = 0, ttl: Double = 600,
                       needsApproval: Bool = false) async throws -> Command {
        try await store.insertCommand(Command(
            id: Command.newID(random), serial: serial(device), action: action, reason: "test", issuedBy: "ops",
            issuedByRole: "admin",
            lifecycle: CommandLifecycle(needsApproval: needsApproval, issuedAt: at(seconds), expiresAt: at(seconds + ttl))))
    }

    func testPendingCommandsComeInIssueOrderAndOnlyWhileTheyApply() async throws {
        let trip = try await issue(.trip, to: "BRK-1")
        let waiting = try await issue(.reset, to: "BRK-1", at: 1, needsApproval: true)
        let test = try await issue(.selfTest, to: "BRK-1", at: 2)
        _ = try await issue(.trip, to: "BRK-2", at: 3)
        XCTAssertTrue(Command.isWellFormedID(trip.id))
        XCTAssertLessThan(trip.sequence, test.sequence)
        var pending = try await store.pendingCommands(of: serial("BRK-1"), at: at(10))
        XCTAssertEqual(pending.map(\.id), [trip.id, test.id], "awaiting approval is not given to the device")
        _ = try await store.applyCommandEvent(id: waiting.id, .approved(by: "second"), at: at(11))
        pending = try await store.pendingCommands(of: serial("BRK-1"), at: at(12))
        XCTAssertEqual(pending.map(\.id), [trip.id, waiting.id, test.id], "approval keeps the issue order")
        let late = try await store.pendingCommands(of: serial("BRK-1"), at: at(700))
        XCTAssertEqual(late.count, 0, "past the TTL")
    }

    func testEveryTransitionSurvivesAReopenAndARepeatedResultChangesNothing() async throws {
        let trip = try await issue(.trip, to: "BRK-1")
        _ = try await store.applyCommandEvent(id: trip.id, .sent, at: at(1))
        _ = try await store.applyCommandEvent(id: trip.id, .delivered, at: at(2))
        let done = try await store.applyCommandEvent(id: trip.id, .reported(CommandReport(.done, breaker: .open)), at: at(3))
        XCTAssertEqual(done?.outcome, .changed(.done))
        let repeated = try await store.applyCommandEvent(id: trip.id, .reported(CommandReport(.failed, breaker: .closed)), at: at(4))
        XCTAssertEqual(repeated?.outcome, .unchanged)
        try store.close()
        store = try SQLiteFleetStore(path: path)
        let stored = try await store.command(id: trip.id)
        XCTAssertEqual(stored?.lifecycle.transitions.map(\.state), [.queued, .sent, .delivered, .done])
        XCTAssertEqual(stored?.lifecycle.transitions.map(\.at), [at(0), at(1), at(2), at(3)])
        XCTAssertEqual(stored?.lifecycle.result, CommandReport(.done, breaker: .open))
        let unknown = try await store.applyCommandEvent(id: "cmd-0000000000000000", .sent, at: at(5))
        XCTAssertNil(unknown)
    }

    func testConcurrentEventsOnOneCommandKeepOneConsistentHistory() async throws {
        let trip = try await issue(.trip, to: "BRK-1")
        let store: SQLiteFleetStore = self.store
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let event: CommandLifecycle.Event = index.isMultiple(of: 2) ? .sent : .delivered
                    _ = try await store.applyCommandEvent(id: trip.id, event, at: at(Double(index)))
                }
            }
            try await group.waitForAll()
        }
        let stored = try await store.command(id: trip.id)
        XCTAssertEqual(stored?.state, .delivered)
        let states = stored?.lifecycle.transitions.map(\.state) ?? []
        XCTAssertTrue(states == [.queued, .sent, .delivered] || states == [.queued, .delivered], "\(states)")
    }

    func testExpiryMovesOnlyUndeliveredCommandsPastTheirTTL() async throws {
        let queued = try await issue(.trip, to: "BRK-1", ttl: 60)
        let delivered = try await issue(.reset, to: "BRK-1", ttl: 60)
        let later = try await issue(.selfTest, to: "BRK-1", ttl: 600)
        _ = try await store.applyCommandEvent(id: delivered.id, .delivered, at: at(1))
        let expired = try await store.expireCommands(at: at(60))
        XCTAssertEqual(expired.map(\.id), [queued.id])
        let (stillDelivered, stillQueued) = (try await store.command(id: delivered.id), try await store.command(id: later.id))
        XCTAssertEqual(stillDelivered?.state, .delivered)
        XCTAssertEqual(stillQueued?.state, .queued)
        let again = try await store.expireCommands(at: at(61))
        XCTAssertEqual(again.count, 0, "expiring twice changes nothing")
    }

    func testListsFilterByDeviceAndStateNewestFirstAndPollsSeeChangesAfterACursor() async throws {
        let first = try await issue(.trip, to: "BRK-1")
        let second = try await issue(.selfTest, to: "BRK-1", at: 5)
        let other = try await issue(.trip, to: "BRK-2", at: 6)
        _ = try await store.applyCommandEvent(id: first.id, .cancelled(by: "ops"), at: at(7))
        let ofDevice = try await store.commands(CommandQuery(serial: serial("BRK-1")))
        XCTAssertEqual(ofDevice.map(\.id), [second.id, first.id])
        let queued = try await store.commands(CommandQuery(states: [.queued]))
        XCTAssertEqual(queued.map(\.id), [other.id, second.id])
        let changes = try await store.devicesWithCommandChanges(since: at(6))
        XCTAssertEqual(changes.serials, [serial("BRK-1")])
        XCTAssertEqual(changes.newest, at(7))
    }
}
