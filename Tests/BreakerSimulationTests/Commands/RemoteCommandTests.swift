import BreakerSimulation
import FleetDomain
import XCTest

/// The commands issue 11 added to the breaker: a reset after a short circuit needs `inspected_by`, `renew`
/// is handed to the network side, and a repeated delivery is marked as a repeat.
final class RemoteCommandTests: XCTestCase {
    private func latched() -> SimulatedBreaker {
        var breaker = makeBreaker()
        _ = breaker.tick(now: start + 60)
        breaker.inject(.short, now: start + 90)
        _ = breaker.tick(now: start + 120)
        return breaker
    }

    func testAResetAfterAShortCircuitIsRefusedWithoutAnInspectorAndDoneWithOne() throws {
        var breaker = latched()
        XCTAssertTrue(breaker.isLatched)
        let refused = try breaker.command("c-1", .reset, at: start + 200)
        XCTAssertEqual(refused.compactMap(\.commandResult), [CommandResult(result: .rejected, breaker: .open, reason: "latched_short_circuit")])
        XCTAssertEqual(breaker.position, .open)

        let inspected = PendingCommand(id: "c-2", action: .reset, issued: Int64(start) + 210, expires: Int64(start) + 900,
                                       inspectedBy: "Wang Wei (electrician 0031)")
        let done = try breaker.receive(.commands([inspected]), now: start + 220)
        XCTAssertEqual(done.compactMap(\.commandResult), [CommandResult(result: .done, breaker: .closed)])
        XCTAssertEqual(breaker.position, .closed)
        XCTAssertFalse(breaker.isLatched)
    }

    func testInspectedByIsReadFromTheCommandsBody() throws {
        var breaker = latched()
        let body = #"[{"id":"cmd-00000000000000a1","action":"reset","issued":1764384000,"expires":1864384000,"inspected_by":"Li"}]"#
        let sent = try breaker.receive(.commandsBody(Array(body.utf8)), now: start + 200)
        XCTAssertEqual(sent.first?.commandResult, CommandResult(result: .done, breaker: .closed))
    }

    func testRenewIsHandedToTheNetworkSideAndReportedWhenItEnds() throws {
        var breaker = makeBreaker()
        let asked = try breaker.command("c-r", .renew, at: start + 10)
        XCTAssertEqual(asked.map(\.kind), [.renewal(commandID: "c-r")])
        XCTAssertEqual(try breaker.command("c-r", .renew, at: start + 11), [], "under way: nothing twice")
        XCTAssertEqual(breaker.renewalFinished(commandID: "c-r", renewed: true).compactMap(\.commandResult),
                       [CommandResult(result: .done, breaker: .closed)])
        XCTAssertEqual(breaker.renewalFinished(commandID: "c-r", renewed: true), [], "finished once")
        let again = try breaker.command("c-r", .renew, at: start + 12)
        XCTAssertEqual(again.map(\.isRepeat), [true])

        _ = try breaker.command("c-f", .renew, at: start + 20)
        XCTAssertEqual(breaker.renewalFinished(commandID: "c-f", renewed: false).compactMap(\.commandResult),
                       [CommandResult(result: .failed, breaker: .closed, reason: "renewal_failed")])
        XCTAssertEqual(breaker.statistics.commandsExecuted, 2)
        XCTAssertEqual(breaker.statistics.commandResults, [.done: 1, .failed: 1])
    }

    func testARepeatedDeliveryIsMarkedARepeatAndExecutesNothing() throws {
        var breaker = makeBreaker()
        let first = try breaker.command("c-1", .selfTest, at: start + 10)
        XCTAssertEqual(first.map(\.isRepeat), [false, false])
        let repeated = try breaker.command("c-1", .selfTest, at: start + 20)
        XCTAssertEqual(repeated.map(\.isRepeat), [true])
        XCTAssertEqual(breaker.statistics.commandsExecuted, 1)
    }
}
