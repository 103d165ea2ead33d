import BreakerSimulation
import FleetDomain
import XCTest

/// A short circuit trips at once and latches: no remote reset, no automatic re-close, until someone at the
/// cabinet resets it.
final class ShortCircuitTests: XCTestCase {
    func testShortCircuitTripsAndLatchesUntilManualReset() throws {
        var breaker = makeBreaker()
        _ = breaker.tick(now: start + 60)
        breaker.inject(.short, now: start + 90)
        let sent = breaker.tick(now: start + 120)
        XCTAssertEqual(sent.events.map(\.type), [.shortCircuit])
        let event = try XCTUnwrap(sent.events.first)
        XCTAssertEqual(event.action, .tripped)
        XCTAssertEqual(event.at, Int64(start + 90))
        XCTAssertGreaterThan(event.value ?? 0, 63 * 10, "above the instantaneous trip level")
        XCTAssertEqual(breaker.position, .open)
        XCTAssertTrue(breaker.isLatched)
        XCTAssertEqual(breaker.tripCause, "short_circuit")
        XCTAssertEqual(breaker.lastReading?.currentA, [0, 0, 0], "an open breaker carries no current")

        let refused = try breaker.command("c-1", .reset, at: start + 180)
        XCTAssertEqual(refused.map(\.commandResult), [CommandResult(result: .rejected, breaker: .open, reason: "latched_short_circuit")])
        XCTAssertEqual(refused.first?.path, "/v1/commands/c-1")
        XCTAssertEqual(refused.first?.text, #"{"result":"rejected","breaker":"open","reason":"latched_short_circuit"}"#)
        XCTAssertEqual(breaker.position, .open)

        // Hours pass: still open, nothing re-closes on its own.
        let later = breaker.run(until: start + 4 * 3600)
        XCTAssertEqual(later.events, [])
        XCTAssertEqual(breaker.position, .open)

        let reset = breaker.manualReset(now: start + 4 * 3600 + 10)
        XCTAssertEqual(reset.events.map(\.type), [.reset])
        XCTAssertEqual(breaker.position, .closed)
        XCTAssertFalse(breaker.isLatched)
        XCTAssertNil(breaker.tripCause)
        let trip = try breaker.command("c-2", .trip, at: start + 4 * 3600 + 20)
        let again = try breaker.command("c-3", .reset, at: start + 4 * 3600 + 30)
        XCTAssertEqual(trip.compactMap(\.commandResult).map(\.result), [.done])
        XCTAssertEqual(again.compactMap(\.commandResult), [CommandResult(result: .done, breaker: .closed)])
    }

    func testOverloadTripsAfterTheProfileDelayWithoutLatching() throws {
        var breaker = makeBreaker()
        breaker.inject(.overload, now: start + 30)
        XCTAssertEqual(breaker.tick(now: start + 60).events, [], "the default trip delay is 60 s")
        let sent = breaker.run(until: start + 180)
        let overload = sent.events.filter { $0.type == .overload }
        XCTAssertEqual(overload.count, 1)
        XCTAssertEqual(overload.first?.action, .tripped)
        XCTAssertEqual(overload.first?.at, Int64(start + 90))
        XCTAssertGreaterThanOrEqual(overload.first?.value ?? 0, 63 * 1.2)
        XCTAssertEqual(breaker.position, .open)
        XCTAssertFalse(breaker.isLatched)
        let reset = try breaker.command("c-1", .reset, at: start + 200)
        XCTAssertEqual(reset.compactMap(\.commandResult), [CommandResult(result: .done, breaker: .closed)])
    }
}
