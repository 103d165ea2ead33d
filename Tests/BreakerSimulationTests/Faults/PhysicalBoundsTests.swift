import BreakerSimulation
import DeviceWire
import FleetDomain
import XCTest

/// A simulated week at one-minute ticks, with every kind of fault: readings stay physical, and every
/// telemetry pack and event is accepted by the server's own parsers.
final class PhysicalBoundsTests: XCTestCase {
    private let week = 7 * 86_400.0

    func testAWeekOfReadingsStaysWithinPhysicalBounds() throws {
        let faults = try FaultRates.parse("arc=0.05,leakage=0.05,overtemp=0.05,short=0.05,overload=0.05,overvoltage=0.02,undervoltage=0.02")
        var breaker = makeBreaker(faults: faults)
        var lastEnergy = -1.0
        var readings = 0
        var closedPeak = 0.0
        _ = breaker.run(until: start + week) { breaker, _ in
            let reading = breaker.lastReading!
            readings += 1
            for volts in reading.voltageV { XCTAssertTrue((0...300).contains(volts), "voltage \(volts)") }
            for amps in reading.currentA + [reading.neutralCurrentA, reading.leakageA] { XCTAssertGreaterThanOrEqual(amps, 0) }
            let temperatures = reading.wireTempC + [reading.neutralTempC, reading.cabinetTempC]
            for celsius in temperatures {
                XCTAssertTrue((reading.ambientC - 5...200).contains(celsius), "temperature \(celsius) at ambient \(reading.ambientC)")
            }
            XCTAssertGreaterThanOrEqual(reading.energyWh, lastEnergy)
            lastEnergy = reading.energyWh
            XCTAssertGreaterThanOrEqual(reading.powerW, 0)
            if breaker.position == .closed { closedPeak = max(closedPeak, reading.currentA.max()!) }
            // Someone resets every trip within the minute, so the load keeps flowing.
            if breaker.position == .open { _ = breaker.manualReset(now: reading.time) }
        }
        XCTAssertEqual(readings, 7 * 1440)
        XCTAssertGreaterThan(closedPeak, 10, "a daily load, not a dead line")
        XCTAssertGreaterThan(breaker.statistics.trips, 0)
        XCTAssertEqual(FaultKind.allCases.filter { (breaker.statistics.faults[$0] ?? 0) == 0 }, [], "every kind happened")
    }

    func testEveryMessageParsesWithTheServersParsers() throws {
        let faults = try FaultRates.parse("arc=0.1,leakage=0.1,overtemp=0.1,short=0.02,overload=0.1,overvoltage=0.05,undervoltage=0.05")
        var breaker = makeBreaker(faults: faults, phases: 1)
        var packs = 0
        var events = 0
        var lastEnergy = -1.0
        let sent = breaker.run(until: start + week) { breaker, _ in
            if breaker.position == .open { _ = breaker.manualReset(now: breaker.lastReading!.time) }
        }
        for message in sent {
            switch message.kind {
            case .telemetry:
                XCTAssertEqual(message.path, "/v1/telemetry")
                XCTAssertEqual(message.contentFormat, .senmlJSON)
                let pack = try SenML.parse(message.body, serial: serial, now: start + week)
                packs += 1
                let names = pack.measurements.map(\.name)
                XCTAssertEqual(Array(names.prefix(11)), [
                    "voltage_l1", "current_l1", "current_n", "leakage", "temp_l1", "temp_n", "temp_cabinet", "power",
                    "energy", "arc_count", "breaker",
                ])
                let energy = try XCTUnwrap(pack.measurements.first { $0.name == "energy" }?.value)
                XCTAssertGreaterThanOrEqual(energy, lastEnergy)
                lastEnergy = energy
                let volts = try XCTUnwrap(pack.measurements.first?.value)
                XCTAssertTrue((0...300).contains(volts))
            case .event(let report):
                XCTAssertEqual(message.path, "/v1/events")
                XCTAssertEqual(try DeviceRequestParser.event(message.body), report)
                events += 1
            default:
                XCTFail("unexpected \(message.kind)")
            }
        }
        XCTAssertEqual(packs, 7 * 86_400 / 300, "one pack per default interval")
        XCTAssertGreaterThan(events, 20)
    }

    func testRegistrationParsesAndTheSameSeedReplaysTheSameRun() throws {
        var first = makeBreaker(faults: try FaultRates.parse("leakage=1,arc=1"), seed: 42)
        var second = makeBreaker(faults: try FaultRates.parse("leakage=1,arc=1"), seed: 42)
        let run = first.run(until: start + 86_400)
        XCTAssertEqual(run, second.run(until: start + 86_400))
        XCTAssertFalse(run.events.isEmpty)
        let registration = try DeviceRequestParser.registration(first.registration().body)
        XCTAssertEqual(registration.model, "BF-SIM-3P")
        XCTAssertEqual(registration.firmware, "1.0.0")
        XCTAssertEqual(registration.profile, .init(id: "default", version: 0))
        XCTAssertEqual(Set(registration.capabilities), BreakerConfiguration.allCapabilities)
        var other = makeBreaker(faults: try FaultRates.parse("leakage=1,arc=1"), seed: 43)
        XCTAssertNotEqual(other.run(until: start + 86_400), run)
    }
}
