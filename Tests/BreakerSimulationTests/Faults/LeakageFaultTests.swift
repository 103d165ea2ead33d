import BreakerSimulation
import DeviceWire
import FleetDomain
import XCTest

/// Injected leakage faults raise one `leakage` event per occurrence, alarm-only by default and a trip when
/// the applied profile says so.
final class LeakageFaultTests: XCTestCase {
    func testEachLeakageFaultRaisesExactlyOneEvent() throws {
        var breaker = makeBreaker(faults: try FaultRates.parse("leakage=0.5"))
        let sent = breaker.run(until: start + 3 * 86_400)
        let leakage = sent.events.filter { $0.type == .leakage }
        let occurrences = breaker.statistics.faults[.leakage] ?? 0
        XCTAssertGreaterThan(occurrences, 10)
        XCTAssertEqual(leakage.count, occurrences)
        XCTAssertEqual(sent.events.count, leakage.count, "no other event without other faults")
        XCTAssertTrue(leakage.allSatisfy { $0.action == .alarmOnly })
        XCTAssertTrue(leakage.allSatisfy { ($0.value ?? 0) >= 0.33 }, "at least 1.1 × the 300 mA alarm level, in A")
        XCTAssertEqual(Set(leakage.map(\.id)).count, leakage.count, "event ids are unique")
        XCTAssertEqual(breaker.position, .closed, "an alarm never cuts the supply")
    }

    func testAnInjectedFaultIsSeenEvenWhenItEndsBetweenTicks() {
        var breaker = makeBreaker()
        breaker.inject(.leakage, now: start + 10)
        let sent = breaker.tick(now: start + 3600)
        XCTAssertEqual(sent.events.map(\.type), [.leakage])
        XCTAssertEqual(sent.events.first?.at, Int64(start + 11), "after the default 1 s delay")
    }

    func testProfileWithLeakageTripOpensTheBreaker() throws {
        var breaker = makeBreaker()
        var profile = ThresholdProfile.factoryDefault
        profile.id = "rental"
        profile.version = 2
        profile.leakage = .init(warnMA: 20, alarmMA: 30, delayS: 0, action: .trip)
        let reports = try breaker.receive(.profileBody(profile.jsonBytes()), now: start + 5)
        XCTAssertEqual(reports.compactMap(\.profileReport), [ProfileReport(id: "rental", version: 2, result: .applied)])
        breaker.inject(.leakage, now: start + 20)
        let sent = breaker.tick(now: start + 60)
        XCTAssertEqual(sent.events.map(\.action), [.tripped])
        XCTAssertEqual(breaker.position, .open)
        XCTAssertEqual(breaker.tripCause, "leakage")
        XCTAssertFalse(breaker.isLatched)
    }

    func testArcAlarmsOrTripsPerProfile() throws {
        var breaker = makeBreaker()
        breaker.inject(.arc, now: start + 10)
        XCTAssertEqual(breaker.tick(now: start + 60).events.map(\.action), [.alarmOnly])
        XCTAssertEqual(breaker.position, .closed)
        var profile = ThresholdProfile.factoryDefault
        profile.id = "arc-trip"
        profile.version = 1
        profile.arc.action = .trip
        _ = try breaker.receive(.profile(profile), now: start + 70)
        breaker.inject(.arc, now: start + 100)
        let sent = breaker.tick(now: start + 120)
        XCTAssertEqual(sent.events.map(\.type), [.arcFault])
        XCTAssertEqual(sent.events.map(\.action), [.tripped])
        XCTAssertEqual(breaker.position, .open)
    }

    func testVoltageTripRecloses() {
        var breaker = makeBreaker()
        breaker.inject(.overvoltage, now: start + 10)
        let sent = breaker.run(until: start + 3600)
        XCTAssertEqual(sent.events.map(\.type), [.overVoltage, .reset], "tripped, then re-closed after auto_reclose_s")
        XCTAssertEqual(sent.events.first?.action, .tripped)
        XCTAssertEqual(breaker.position, .closed)
    }
}
