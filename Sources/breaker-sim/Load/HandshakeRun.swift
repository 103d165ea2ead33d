import CoAPTransport
import Foundation

/// Handshake mode: C slots, each connecting, waiting for the DTLS handshake to complete, closing with
/// close_notify and connecting again. Measures full mutual-auth handshakes per second.
struct HandshakeRun {
    let command: LoadCommand
    let engine: CoAPClientEngine
    let control: RunControl

    /// One slot's counts. Its sessions follow one another (each connect is queued by the previous
    /// session's event), so the loop threads touch it one after the other, never at once.
    final class Slot: @unchecked Sendable {
        var tally = LoadTally()
    }

    func run(_ identities: [SimulatedIdentity]) async -> LoadReport {
        let slots = identities.map { _ in Slot() }
        let start = monotonicNanoseconds() + UInt64(command.warmup * 1e9)
        control.windowStart.store(start, ordering: .relaxed)
        control.windowEnd.store(start + UInt64(command.duration * 1e9), ordering: .relaxed)
        for (slot, identity) in zip(slots, identities) { connect(identity, slot) }
        let (end, cpu) = await control.measureWindow(warmup: command.warmup)
        await control.drain(for: 5) { control.connecting.load(ordering: .relaxed) }
        engine.shutdown()
        var tally = LoadTally()
        for slot in slots { tally.merge(slot.tally) }
        let window = Double(end - min(start, end)) / 1e9
        return LoadReport(
            mode: "handshake", server: command.server.description, sessions: identities.count, concurrency: command.concurrency,
            sessionsReady: tally.measured, sessionsFailed: tally.failures.values.reduce(0, +), windowSeconds: window,
            completed: tally.measured, total: tally.classes[2] ?? 0, throughputPerSecond: window > 0 ? Double(tally.measured) / window : 0,
            latencyMs: .init(micros: tally.latenciesMicros), responses: [:], failures: tally.failures, unfinished: 0,
            clientCPUMicrosPerOperation: tally.measured > 0 ? cpu * 1e6 / Double(tally.measured) : nil)
    }

    private func connect(_ identity: SimulatedIdentity, _ slot: Slot) {
        let control = control
        control.connecting.add(1, ordering: .relaxed)
        engine.connect(to: command.server.endpoint, credentials: identity.credentials) { session, event in
            switch event {
            case .connected:
                control.connecting.subtract(1, ordering: .relaxed)
                let measured = control.measure(at: monotonicNanoseconds())
                slot.tally.count(.content, measured: measured)
                if measured { slot.tally.latenciesMicros.append(UInt32(clamping: session.handshakeNanoseconds / 1000)) }
                session.close()
            case .failed(let failure) where session.handshakeNanoseconds == 0:
                control.connecting.subtract(1, ordering: .relaxed)
                slot.tally.count(failure, measured: control.measure(at: monotonicNanoseconds()))
            case .failed, .closed:
                // The session this slot just finished with is gone: start the next handshake.
                if !control.isStopping { self.connect(identity, slot) }
                return
            }
            if case .failed = event, !control.isStopping { self.connect(identity, slot) }
        }
    }
}
