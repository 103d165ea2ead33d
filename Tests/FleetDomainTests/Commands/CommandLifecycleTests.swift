import FleetDomain
import Foundation
import XCTest

/// The life of a remote command, without sockets or a store: every path through it, the repeats it ignores
/// and the rules it refuses by name.
final class CommandLifecycleTests: XCTestCase {
    private let clock = ManualWallClock(Date(timeIntervalSince1970: 1_790_000_000))
    private var ttl: TimeInterval { 600 }

    private func command(needsApproval: Bool = false) -> CommandLifecycle {
        CommandLifecycle(needsApproval: needsApproval, issuedAt: clock.now(), expiresAt: clock.now().addingTimeInterval(ttl))
    }

    private func step(_ lifecycle: inout CommandLifecycle, _ event: CommandLifecycle.Event, after seconds: TimeInterval = 1) -> CommandLifecycle.Outcome {
        clock.advance(by: seconds)
        return lifecycle.apply(event, at: clock.now())
    }

    func testATripGoesFromQueuedToDoneWithEveryTransitionTimestamped() {
        var trip = command()
        let issued = clock.now()
        XCTAssertEqual(step(&trip, .sent), .changed(.sent))
        XCTAssertEqual(step(&trip, .delivered), .changed(.delivered))
        XCTAssertEqual(step(&trip, .reported(CommandReport(.done, breaker: .open))), .changed(.done))
        XCTAssertEqual(trip.transitions.map(\.state), [.queued, .sent, .delivered, .done])
        XCTAssertEqual(trip.transitions.map(\.at), (0...3).map { issued.addingTimeInterval(Double($0)) })
        XCTAssertEqual(trip.result?.breaker, .open)
    }

    func testAResultReportedTwiceChangesNothing() {
        var trip = command()
        _ = step(&trip, .sent)
        _ = step(&trip, .delivered)
        _ = step(&trip, .reported(CommandReport(.done, breaker: .open)))
        XCTAssertEqual(step(&trip, .reported(CommandReport(.failed, reason: "late"))), .unchanged)
        XCTAssertEqual(trip.state, .done)
        XCTAssertEqual(trip.result, CommandReport(.done, breaker: .open))
        XCTAssertEqual(trip.transitions.count, 4)
    }

    func testAResultForASentCommandMeansItsAcknowledgementWasLost() {
        var reset = command()
        _ = step(&reset, .sent)
        XCTAssertEqual(step(&reset, .reported(CommandReport(.rejected, reason: "inspected_by missing"))), .changed(.rejected))
        XCTAssertEqual(reset.transitions.map(\.state), [.queued, .sent, .delivered, .rejected])
        XCTAssertEqual(reset.transitions.last?.note, "inspected_by missing")
    }

    func testAResendOrASecondDeliveryIsARepeat() {
        var trip = command()
        _ = step(&trip, .sent)
        XCTAssertEqual(step(&trip, .sent), .unchanged)
        _ = step(&trip, .delivered)
        XCTAssertEqual(step(&trip, .delivered), .unchanged)
        XCTAssertEqual(trip.transitions.map(\.state), [.queued, .sent, .delivered])
    }

    func testAListedCommandIsDeliveredWhenFetched() {
        var trip = command()
        XCTAssertEqual(step(&trip, .delivered), .changed(.delivered))
    }

    func testAnUndeliveredCommandExpiresOnlyOnceItsTTLPassed() {
        var trip = command()
        _ = step(&trip, .sent)
        guard case .refused(let why) = step(&trip, .expired, after: 60) else { return XCTFail("expired before its TTL") }
        XCTAssertTrue(why.contains("valid until"), why)
        XCTAssertEqual(step(&trip, .expired, after: ttl), .changed(.expired))
        // The device refuses an expired command: its rejection changes nothing (a late `done` would, see below).
        XCTAssertEqual(step(&trip, .reported(CommandReport(.rejected, reason: "expired"))), .unchanged)
        XCTAssertEqual(trip.state, .expired)
    }

    func testADeliveredCommandWaitsForItsResultAndCannotBeCancelled() {
        var trip = command()
        _ = step(&trip, .sent)
        _ = step(&trip, .delivered)
        guard case .refused(let expiry) = step(&trip, .expired, after: ttl + 1) else { return XCTFail() }
        XCTAssertTrue(expiry.contains("its result decides"), expiry)
        guard case .refused(let cancel) = step(&trip, .cancelled(by: "admin-2")) else { return XCTFail() }
        XCTAssertTrue(cancel.contains("opposite command"), cancel)
        XCTAssertEqual(trip.state, .delivered)
    }

    func testACommandCanBeCancelledBeforeDelivery() {
        var queued = command()
        XCTAssertEqual(step(&queued, .cancelled(by: "ops-li")), .changed(.cancelled))
        XCTAssertEqual(queued.transitions.last?.note, "cancelled by ops-li")
        var sent = command()
        _ = step(&sent, .sent)
        XCTAssertEqual(step(&sent, .cancelled(by: "ops-li")), .changed(.cancelled))
        XCTAssertEqual(step(&sent, .delivered), .unchanged, "nothing moves a final state")
    }

    func testAResetNeedingApprovalIsNotSentBeforeASecondAdminApproves() {
        var reset = command(needsApproval: true)
        XCTAssertEqual(reset.state, .awaitingApproval)
        guard case .refused(let why) = step(&reset, .sent) else { return XCTFail() }
        XCTAssertTrue(why.contains("approval"), why)
        guard case .refused = step(&reset, .reported(CommandReport(.done))) else { return XCTFail() }
        XCTAssertEqual(step(&reset, .approved(by: "admin-2")), .changed(.queued))
        XCTAssertEqual(reset.transitions.last?.note, "approved by admin-2")
        XCTAssertEqual(step(&reset, .approved(by: "admin-3")), .unchanged)
        XCTAssertEqual(step(&reset, .sent), .changed(.sent))
    }

    func testAnUnapprovedCommandExpiresToo() {
        var reset = command(needsApproval: true)
        XCTAssertEqual(step(&reset, .expired, after: ttl), .changed(.expired))
    }
}

extension CommandLifecycleTests {
    func testALateDoneAfterTheServerExpiredTheCommandIsRecordedOnceAndALateRejectionIsNot() {
        var lifecycle = command()
        XCTAssertEqual(step(&lifecycle, .sent), .changed(.sent))
        XCTAssertEqual(step(&lifecycle, .expired, after: ttl), .changed(.expired))
        XCTAssertEqual(step(&lifecycle, .reported(CommandReport(.rejected, breaker: .closed, reason: "expired"))), .unchanged)
        XCTAssertEqual(lifecycle.state, .expired)
        XCTAssertEqual(step(&lifecycle, .reported(CommandReport(.done, breaker: .open))), .changed(.done))
        XCTAssertEqual(lifecycle.result?.breaker, .open)
        XCTAssertEqual(step(&lifecycle, .reported(CommandReport(.failed, breaker: .closed))), .unchanged)
        XCTAssertEqual(lifecycle.transitions.map(\.state), [.queued, .sent, .expired, .done])
    }

    func testARestoredLifecycleContinuesFromItsLastTransition() {
        var original = command()
        _ = step(&original, .sent)
        var restored = CommandLifecycle(restoring: original.transitions, result: nil, expiresAt: original.expiresAt)
        XCTAssertEqual(restored, original)
        XCTAssertEqual(step(&restored, .delivered), .changed(.delivered))
    }
}
