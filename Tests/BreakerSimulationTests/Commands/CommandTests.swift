import BreakerSimulation
import FleetDomain
import XCTest

/// Commands execute at most once, never past `expires`, and as the profile's `remote` group allows.
final class CommandTests: XCTestCase {
    func testACommandIDExecutesAtMostOnce() throws {
        var breaker = makeBreaker()
        let first = try breaker.command("c-1", .trip, at: start + 10)
        XCTAssertEqual(first.compactMap(\.commandResult), [CommandResult(result: .done, breaker: .open)])
        XCTAssertEqual(first.events.map(\.type), [.trip])
        XCTAssertEqual(breaker.tripCause, "remote")
        _ = breaker.manualReset(now: start + 20)
        XCTAssertEqual(breaker.position, .closed)

        // Delivered again (at least once): the first result is re-reported, nothing is executed.
        let repeated = try breaker.command("c-1", .trip, at: start + 30)
        XCTAssertEqual(repeated.map(\.body), [first[0].body])
        XCTAssertEqual(repeated.events, [])
        XCTAssertEqual(breaker.position, .closed)
    }

    func testAnExpiredCommandIsRejectedAndNotExecuted() throws {
        var breaker = makeBreaker()
        let expired = try breaker.command("c-9", .trip, at: start + 100, expires: start + 100)
        XCTAssertEqual(expired.map(\.text), [#"{"result":"rejected","breaker":"closed","reason":"expired"}"#])
        XCTAssertEqual(breaker.position, .closed)
        // Still expired when it comes again, even if a later copy would not be.
        let again = try breaker.command("c-9", .trip, at: start + 110, expires: start + 900)
        XCTAssertEqual(again.compactMap(\.commandResult).first?.reason, "expired")
        XCTAssertEqual(breaker.position, .closed)
    }

    func testCommandsBodyAndSelfTest() throws {
        var breaker = makeBreaker()
        let body = #"[{"id":"a 1","action":"self_test","issued":1764384000,"expires":1764387600},{"id":"b","action":"reset","issued":1764384000,"expires":1764387600}]"#
        let sent = try breaker.receive(.commandsBody(Array(body.utf8)), now: start + 60)
        XCTAssertEqual(sent.map(\.path), ["/v1/commands/a%201", "/v1/events", "/v1/commands/b"])
        XCTAssertEqual(sent[0].pathSegments, ["v1", "commands", "a 1"])
        XCTAssertEqual(sent.events.map(\.type), [.selfTest])
        XCTAssertEqual(sent[2].commandResult, CommandResult(result: .done, breaker: .closed))
        XCTAssertThrowsError(try breaker.receive(.commandsBody(Array(#"[{"id":"x","action":"explode"}]"#.utf8)), now: start))
    }

    func testRemoteOperationsFollowTheProfile() throws {
        var breaker = makeBreaker()
        var profile = ThresholdProfile.factoryDefault
        profile.id = "hospital"
        profile.version = 4
        profile.remote = .init(allowRemoteTrip: false, allowRemoteReset: false, resetRequiresConfirm: true)
        _ = try breaker.receive(.profile(profile), now: start)
        let trip = try breaker.command("c-1", .trip, at: start + 1)
        XCTAssertEqual(trip.compactMap(\.commandResult), [CommandResult(result: .rejected, breaker: .closed, reason: "remote_trip_disabled")])
        XCTAssertEqual(breaker.position, .closed)
    }
}
