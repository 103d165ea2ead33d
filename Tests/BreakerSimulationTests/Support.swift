import BreakerSimulation
import FleetDomain
import XCTest

let serial = Serial("BRK-SIM-0001")!
/// 2025-11-29T00:00:00Z (08:00 in China).
let start = 1_764_384_000.0

func makeBreaker(
    capabilities: Set<String> = BreakerConfiguration.allCapabilities, faults: FaultRates = .none,
    firmwareFailure: Double = 0, seed: UInt64 = 7, phases: Int = 3
) -> SimulatedBreaker {
    SimulatedBreaker(
        configuration: BreakerConfiguration(
            serial: serial, capabilities: capabilities, phases: phases, faults: faults,
            firmwareFailureProbability: firmwareFailure, seed: seed),
        now: start)
}

extension SimulatedBreaker {
    /// Ticks every `step` seconds from the current time up to and including `end`, collecting everything sent.
    mutating func run(until end: Double, step: Double = 60, each: (inout SimulatedBreaker, [Outgoing]) -> Void = { _, _ in }) -> [Outgoing] {
        var out: [Outgoing] = []
        var time = (lastReading?.time ?? start) + step
        while time <= end {
            let sent = tick(now: time)
            each(&self, sent)
            out += sent
            time += step
        }
        return out
    }

    mutating func command(_ id: String, _ action: CommandAction, at now: Double, expires: Double? = nil) throws -> [Outgoing] {
        let pending = PendingCommand(id: id, action: action, issued: Int64(now) - 5, expires: Int64(expires ?? now + 600))
        return try receive(.commands([pending]), now: now)
    }
}

extension Outgoing {
    var event: EventReport? {
        if case .event(let report) = kind { return report }
        return nil
    }

    var commandResult: CommandResult? {
        if case .commandResult(_, let result) = kind { return result }
        return nil
    }

    var profileReport: ProfileReport? {
        if case .profileReport(let report) = kind { return report }
        return nil
    }

    var firmwareReport: FirmwareReport? {
        if case .firmwareState(let report) = kind { return report }
        return nil
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

extension [Outgoing] {
    var events: [EventReport] { compactMap(\.event) }
}
