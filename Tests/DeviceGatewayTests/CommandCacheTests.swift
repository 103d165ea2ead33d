@testable import DeviceGateway
import DeviceWire
import FleetDomain
import Foundation
import XCTest

/// The device plane's copy of each device's commands: issue order, what a device may be told, what it
/// may report on, and a store that lags behind never moving a command back.
final class CommandCacheTests: XCTestCase {
    private let deviceA = Serial("BRK-A001")!
    private let deviceB = Serial("BRK-B001")!
    private let issued = Date(timeIntervalSince1970: 1_764_384_000)

    private func command(_ number: Int, _ serial: Serial, _ action: RemoteAction = .trip, ttl: TimeInterval = 600,
                         state: CommandLifecycle.State = .queued, inspectedBy: String? = nil) -> Command {
        var lifecycle = CommandLifecycle(needsApproval: false, issuedAt: issued, expiresAt: issued.addingTimeInterval(ttl))
        if state == .sent || state == .delivered { _ = lifecycle.apply(.sent, at: issued) }
        if state == .delivered { _ = lifecycle.apply(.delivered, at: issued) }
        if state == .done {
            _ = lifecycle.apply(.sent, at: issued)
            _ = lifecycle.apply(.reported(CommandReport(.done, breaker: .open)), at: issued)
        }
        return Command(id: String(format: "cmd-%016x", number), serial: serial, action: action, reason: "test",
                       issuedBy: "admin", issuedByRole: "admin", inspectedBy: inspectedBy, lifecycle: lifecycle, sequence: Int64(number))
    }

    func testCommandsAreListedInIssueOrderWhateverOrderTheStoreGives() {
        var cache = CommandCache()
        XCTAssertTrue(cache.refresh(deviceA, from: [command(3, deviceA, .selfTest), command(1, deviceA)]))
        XCTAssertEqual(cache.listing(of: deviceA, at: issued).map(\.sequence), [1, 3])
        // A command issued while the first is outstanding comes after it, and is news to the device.
        XCTAssertTrue(cache.refresh(deviceA, from: [command(1, deviceA), command(3, deviceA, .selfTest), command(2, deviceA, .selfTest)]))
        XCTAssertEqual(cache.listing(of: deviceA, at: issued).map(\.sequence), [1, 2, 3])
        XCTAssertFalse(cache.refresh(deviceA, from: [command(1, deviceA), command(2, deviceA, .selfTest), command(3, deviceA, .selfTest)]),
                       "nothing new: no notification")
        XCTAssertEqual(cache.pendingCount(of: deviceA, at: issued), 3)
        XCTAssertEqual(cache.listing(of: deviceB, at: issued), [])
    }

    func testTheListingCarriesTheWireFieldsAndInspectedBy() {
        var cache = CommandCache()
        _ = cache.refresh(deviceA, from: [command(1, deviceA, .reset, inspectedBy: "Wang Wei")])
        let listing = cache.listing(of: deviceA, at: issued).map(\.listing)
        XCTAssertEqual(listing.map(\.id), ["cmd-0000000000000001"])
        XCTAssertEqual(listing.first?.issued, 1_764_384_000)
        XCTAssertEqual(listing.first?.expires, 1_764_384_600)
        XCTAssertEqual(listing.first?.inspectedBy, "Wang Wei")
    }

    func testAnUndeliveredCommandPastItsTTLIsNotListedButADeliveredOneStays() {
        var cache = CommandCache()
        _ = cache.refresh(deviceA, from: [command(1, deviceA, ttl: 10), command(2, deviceA, .selfTest, ttl: 10, state: .delivered)])
        let later = issued.addingTimeInterval(11)
        XCTAssertEqual(cache.listing(of: deviceA, at: later).map(\.sequence), [2], "delivered: the device may act; it waits for the result")
        XCTAssertEqual(cache.pendingCount(of: deviceA, at: later), 1)
    }

    func testWhatTheDevicePlaneLearntFirstIsNotUndoneByALaggingStore() {
        var cache = CommandCache()
        _ = cache.refresh(deviceA, from: [command(1, deviceA)])
        XCTAssertEqual(cache.advance(["cmd-0000000000000001"], to: .delivered, of: deviceA), ["cmd-0000000000000001"])
        XCTAssertEqual(cache.advance(["cmd-0000000000000001"], to: .sent, of: deviceA), [], "never back")
        _ = cache.refresh(deviceA, from: [command(1, deviceA, state: .queued)])
        XCTAssertEqual(cache.listing(of: deviceA, at: issued).first?.state, .delivered)
    }

    func testADeviceMayReportOnlyOnItsOwnCommandsAndARepeatIsKnown() {
        var cache = CommandCache()
        _ = cache.refresh(deviceA, from: [command(1, deviceA)])
        let id = "cmd-0000000000000001"
        XCTAssertEqual(cache.knows(id, of: deviceA), .pending)
        XCTAssertNil(cache.knows(id, of: deviceB), "device B cannot reach A's command")
        cache.reported(id, of: deviceA)
        XCTAssertEqual(cache.knows(id, of: deviceA), .reported)
        XCTAssertEqual(cache.listing(of: deviceA, at: issued), [])
        // The store has not applied the result yet: the refresh must not list it again.
        XCTAssertFalse(cache.refresh(deviceA, from: [command(1, deviceA, state: .delivered)]))
        XCTAssertEqual(cache.listing(of: deviceA, at: issued), [])
    }

    func testACommandThatLeftTheStoresListEndedAndALateReportStillCounts() {
        var cache = CommandCache()
        _ = cache.refresh(deviceA, from: [command(1, deviceA)])
        _ = cache.refresh(deviceA, from: [])
        XCTAssertEqual(cache.knows("cmd-0000000000000001", of: deviceA), .ended)
        XCTAssertEqual(cache.pendingCount(of: deviceA, at: issued), 0)
    }

    func testWarmUpLoadsOpenCommandsAndRemembersFinishedOnes() {
        var cache = CommandCache()
        cache.warmUp(open: [command(2, deviceA), command(3, deviceB)], finished: [command(1, deviceA, state: .done)])
        XCTAssertEqual(cache.listing(of: deviceA, at: issued).map(\.sequence), [2])
        XCTAssertEqual(cache.listing(of: deviceB, at: issued).map(\.sequence), [3])
        XCTAssertEqual(cache.knows("cmd-0000000000000001", of: deviceA), .reported)
    }

    func testOnlyTheNewestEndedCommandsOfADeviceAreRemembered() {
        var cache = CommandCache()
        let many = (1...(CommandCache.rememberedPerDevice + 5)).map { command($0, deviceA) }
        _ = cache.refresh(deviceA, from: many)
        _ = cache.refresh(deviceA, from: [])
        XCTAssertNil(cache.knows("cmd-0000000000000001", of: deviceA))
        XCTAssertEqual(cache.knows(String(format: "cmd-%016x", CommandCache.rememberedPerDevice + 5), of: deviceA), .ended)
    }
}

extension CommandCacheTests {
    func testALongQueueIsListedOldestFirstAFewAtATimeWithinOneDatagram() {
        var cache = CommandCache()
        let serial = Serial("BRK-A001")!
        let issued = Date(timeIntervalSince1970: 1_764_384_000)
        let commands = (1...50).map { number in
            Command(id: String(format: "cmd-%016x", number), serial: serial, action: .selfTest, reason: "test", issuedBy: "admin",
                    issuedByRole: "admin", lifecycle: CommandLifecycle(needsApproval: false, issuedAt: issued,
                                                                       expiresAt: issued.addingTimeInterval(600)),
                    sequence: Int64(number))
        }
        _ = cache.refresh(serial, from: commands)
        let first = cache.listing(of: serial, at: issued)
        XCTAssertEqual(first.map(\.sequence), Array(1...Int64(first.count)))
        XCTAssertLessThanOrEqual(DeviceResponses.commands(first.map(\.listing)).count, CommandCache.listingBudget)
        XCTAssertEqual(cache.pendingCount(of: serial, at: issued), 50, "the count says how many wait in all")
        XCTAssertTrue(cache.hasUnsent(of: serial, at: issued))
        for entry in first { cache.reported(entry.id, of: serial) }
        XCTAssertEqual(cache.listing(of: serial, at: issued).first?.sequence, Int64(first.count + 1))
    }
}
