import CoAPTransport
import Foundation

/// Opens many sessions with a bounded number of handshakes in progress (libcoap servers take at most
/// 100 at once), showing a progress line, and waits until every session is ready or has failed.
struct SessionRamp {
    let engine: CoAPClientEngine
    let server: CoAPClientEngine.Endpoint
    let concurrency: Int
    let control: RunControl
    /// Seconds to wait for the whole ramp before giving up on the stragglers.
    var timeout: Double = 600

    /// `prepare` runs on the session's loop once the handshake completed (with the identity's index) and
    /// must eventually call
    /// `control.ready.add(1)` (or `failedToConnect`) for the session, e.g. after registering.
    func open(
        _ identities: [SimulatedIdentity],
        prepare: @escaping @Sendable (CoAPClientSession, Int) -> Void,
        onLaterEvent: @escaping @Sendable (CoAPClientSession, CoAPClientSessionEvent) -> Void = { _, _ in }
    ) async -> [CoAPClientSession] {
        var sessions: [CoAPClientSession] = []
        sessions.reserveCapacity(identities.count)
        let started = monotonicNanoseconds()
        var lastProgress: UInt64 = 0
        let control = control
        for (index, identity) in identities.enumerated() {
            while control.connecting.load(ordering: .relaxed) >= concurrency && !control.isInterrupted {
                try? await Task.sleep(nanoseconds: 1_000_000)
                lastProgress = report(total: identities.count, since: started, last: lastProgress)
            }
            if control.isInterrupted { break }
            control.connecting.add(1, ordering: .relaxed)
            let session = engine.connect(to: server, credentials: identity.credentials) { session, event in
                switch (session.state, event) {
                case (_, .connected):
                    control.connecting.subtract(1, ordering: .relaxed)
                    prepare(session, index)
                case (.closed, .failed) where session.handshakeNanoseconds == 0:
                    control.connecting.subtract(1, ordering: .relaxed)
                    control.failedToConnect.add(1, ordering: .relaxed)
                default:
                    onLaterEvent(session, event)
                }
            }
            sessions.append(session)
            lastProgress = report(total: identities.count, since: started, last: lastProgress)
        }
        let deadline = monotonicNanoseconds() + UInt64(timeout * 1e9)
        while settled < sessions.count && !control.isInterrupted && monotonicNanoseconds() < deadline {
            try? await Task.sleep(nanoseconds: 5_000_000)
            lastProgress = report(total: identities.count, since: started, last: lastProgress)
        }
        _ = report(total: identities.count, since: started, last: 0)
        Progress.line("")
        return sessions
    }

    private var settled: Int {
        control.ready.load(ordering: .relaxed) + control.failedToConnect.load(ordering: .relaxed)
    }

    /// Rewrites the progress line at most every 0.5 s.
    private func report(total: Int, since started: UInt64, last: UInt64) -> UInt64 {
        let now = monotonicNanoseconds()
        guard now - last >= 500_000_000 else { return last }
        let seconds = Double(now - started) / 1e9
        let ready = control.ready.load(ordering: .relaxed)
        Progress.update(String(
            format: "sessions: %d/%d ready, %d handshaking, %d failed (%.1f s, %.0f/s)", ready, total,
            control.connecting.load(ordering: .relaxed), control.failedToConnect.load(ordering: .relaxed), seconds,
            Double(ready) / max(seconds, 0.001)))
        return now
    }
}
