import Dispatch
import Glibc
import Synchronization

/// What the main task and the loop threads share during a run: the measured window, the stop flag and
/// the ramp-up counters, all atomics (the loops read them on every completion).
final class RunControl: Sendable {
    /// Monotonic ns; completions in [start, end) are measured. Both UInt64.max until the ramp-up is over.
    let windowStart = Atomic<UInt64>(.max)
    let windowEnd = Atomic<UInt64>(.max)
    /// No new requests or handshakes once set.
    let stopping = Atomic<Bool>(false)
    let connecting = Atomic<Int>(0)
    /// Requests sent and not yet answered, over all sessions.
    let inFlight = Atomic<Int>(0)
    let ready = Atomic<Int>(0)
    let failedToConnect = Atomic<Int>(0)
    /// Measured completions so far, and the count that ends the window in `--requests` mode.
    let measured = Atomic<Int>(0)
    let measuredTarget: Int
    let interrupted = Atomic<Bool>(false)
    /// Kept alive for the run; set once, before any signal can arrive.
    nonisolated(unsafe) private var signalSources: [DispatchSourceSignal] = []

    init(measuredTarget: Int = .max) {
        self.measuredTarget = measuredTarget
    }

    var isStopping: Bool { stopping.load(ordering: .relaxed) }
    var isInterrupted: Bool { interrupted.load(ordering: .relaxed) }

    /// True when a completion at `now` falls in the measured window; counts it, and in `--requests` mode
    /// closes the window at the target.
    func measure(at now: UInt64) -> Bool {
        guard now >= windowStart.load(ordering: .relaxed), now < windowEnd.load(ordering: .relaxed) else { return false }
        let count = measured.add(1, ordering: .relaxed).newValue
        if count == measuredTarget { windowEnd.store(now + 1, ordering: .relaxed) }
        return count <= measuredTarget
    }

    /// SIGINT and SIGTERM end the run early but cleanly (every session still gets its close_notify).
    func trapSignals() {
        let sources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in self.interrupted.store(true, ordering: .relaxed) }
            source.resume()
            return source
        }
        signalSources = sources
    }
}
