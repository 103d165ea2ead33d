import CoAPTransport
import Foundation
import Synchronization

/// Hold mode: opens S sessions, keeps them idle for --duration seconds (the bench reads the server's
/// memory meanwhile), then closes them all with paced close_notify.
struct HoldRun {
    let command: LoadCommand
    let engine: CoAPClientEngine
    let control: RunControl

    func run(_ identities: [SimulatedIdentity]) async -> LoadReport {
        let control = control
        let dropped = DroppedCounter()
        let ramp = SessionRamp(engine: engine, server: command.server.endpoint,
                               concurrency: command.engine.connectConcurrency, control: control)
        let started = monotonicNanoseconds()
        _ = await ramp.open(identities, prepare: { _, _ in control.ready.add(1, ordering: .relaxed) },
                            onLaterEvent: { _, event in if case .failed = event { dropped.add() } })
        let rampSeconds = Double(monotonicNanoseconds() - started) / 1e9
        let ready = control.ready.load(ordering: .relaxed)
        Progress.line(String(format: "holding %d sessions (%d failed), ramp-up %.1f s", ready,
                             control.failedToConnect.load(ordering: .relaxed), rampSeconds))
        if let readyFile = command.readyFile {
            _ = FileManager.default.createFile(atPath: readyFile, contents: Data("\(ready)\n".utf8))
        }
        await pause(seconds: command.duration) { control.isInterrupted }
        let lost = dropped.value
        engine.shutdown()
        return LoadReport(
            mode: "hold", server: command.server.description, sessions: identities.count,
            sessionsReady: ready, sessionsFailed: control.failedToConnect.load(ordering: .relaxed), windowSeconds: rampSeconds,
            completed: ready, total: ready, throughputPerSecond: Double(ready) / max(rampSeconds, 0.001), latencyMs: nil,
            responses: [:], failures: lost > 0 ? ["dropped_while_held": lost] : [:], unfinished: 0,
            clientCPUMicrosPerOperation: nil)
    }
}

/// Sessions the server ended while they were held.
final class DroppedCounter: Sendable {
    private let count = Atomic<Int>(0)
    func add() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}
