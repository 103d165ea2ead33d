import BreakerSimulation
import FleetDomain
import XCTest

/// Wire temperatures follow the current with a thermal lag; an overheating terminal alarms once per episode,
/// or trips when the profile says so; a power limit trips.
final class TemperatureTests: XCTestCase {
    func testAnOverheatingTerminalAlarmsOncePerEpisode() {
        var breaker = makeBreaker()
        breaker.inject(.overtemp, now: start + 30)
        let first = breaker.tick(now: start + 60)
        XCTAssertEqual(first.events, [], "the wire needs time to heat up")
        let sent = breaker.run(until: start + 6 * 3600)
        let alarms = sent.events.filter { $0.type == .overTemperature }
        XCTAssertEqual(alarms.count, 1)
        XCTAssertEqual(alarms.first?.action, .alarmOnly)
        XCTAssertGreaterThanOrEqual(alarms.first?.value ?? 0, 55)
        XCTAssertEqual(breaker.position, .closed)
        let reading = breaker.lastReading!
        XCTAssertLessThan(reading.wireTempC.max()!, 50, "cooled down once the fault ended")
    }

    func testTemperatureTripPerProfile() throws {
        var breaker = makeBreaker()
        var profile = ThresholdProfile.factoryDefault
        profile.id = "charging"
        profile.version = 1
        profile.temperature.action = .trip
        _ = try breaker.receive(.profile(profile), now: start)
        breaker.inject(.overtemp, now: start + 30)
        let sent = breaker.run(until: start + 3600)
        XCTAssertEqual(sent.events.map(\.type), [.overTemperature])
        XCTAssertEqual(sent.events.first?.action, .tripped)
        XCTAssertEqual(breaker.tripCause, "over_temperature")
    }

    func testPowerLimitTrips() throws {
        var breaker = makeBreaker()
        var profile = ThresholdProfile.factoryDefault
        profile.id = "rental"
        profile.version = 1
        profile.power.limitW = 100  // far below a shop's daytime load
        _ = try breaker.receive(.profile(profile), now: start)
        let sent = breaker.run(until: start + 600)
        XCTAssertEqual(sent.events.map(\.type), [.overload])
        XCTAssertEqual(sent.events.first?.action, .tripped)
        XCTAssertEqual(breaker.tripCause, "power_limit")
    }
}
