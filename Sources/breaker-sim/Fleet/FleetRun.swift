import BreakerSimulation
import CoAPTransport
import FleetDomain
import Foundation

/// Runs the demo fleet for `--duration` seconds and sums up what happened.
struct FleetRun {
    let command: RunCommand
    let engine: CoAPClientEngine
    let control: RunControl
    let rates: FaultRates
    let reportLog: ReportLog?
    let commandLog: CommandLog?

    func run(_ identities: [SimulatedIdentity]) async -> FleetSummary {
        let model = command.credentials.model
        let now = SimulatedDevice.now()
        let valid = identities.filter { Serial($0.serial) != nil }
        let devices = valid.enumerated().map { index, identity in
            let configuration = BreakerConfiguration(
                serial: Serial(identity.serial)!, model: model, capabilities: command.capabilities, faults: rates,
                seed: command.seed &+ UInt64(index))
            return SimulatedDevice(
                breaker: SimulatedBreaker(configuration: configuration, now: now), control: control, tick: command.tick,
                reportLog: reportLog, commandLog: commandLog, identity: identity, heartbeat: command.heartbeat)
        }
        let ramp = SessionRamp(engine: engine, server: command.server.endpoint,
                               concurrency: command.engine.connectConcurrency, control: control)
        let started = monotonicNanoseconds()
        _ = await ramp.open(valid) { session, index in devices[index].start(on: session) }
        Progress.line("fleet of \(control.ready.load(ordering: .relaxed)) devices running for \(Int(command.duration)) s")
        await pause(seconds: command.duration - Double(monotonicNanoseconds() - started) / 1e9) { control.isInterrupted }
        control.stopping.store(true, ordering: .relaxed)
        engine.shutdown()
        return FleetSummary(devices: devices, ready: control.ready.load(ordering: .relaxed),
                            failed: control.failedToConnect.load(ordering: .relaxed) + (identities.count - devices.count),
                            seconds: Double(monotonicNanoseconds() - started) / 1e9)
    }
}
