import Foundation

/// The life of a libcoap loop thread, shared by the server and the client loops: set up on the new thread
/// (libcoap objects must be created where they are used), report readiness or the set-up error to the
/// caller, run, tear down, and signal `stopped` once everything libcoap owned is freed.
enum LoopThread {
    /// Starts the thread and returns once `setUp` finished; rethrows its error (the thread then ends).
    static func start(
        name: String, stopped: DispatchSemaphore,
        setUp: @escaping @Sendable () throws -> Void, run: @escaping @Sendable () -> Void,
        tearDown: @escaping @Sendable () -> Void
    ) throws -> Thread {
        let ready = DispatchSemaphore(value: 0)
        let failure = SetUpFailure()
        let thread = Thread {
            do {
                try setUp()
            } catch {
                failure.error = error
                ready.signal()
                stopped.signal()
                return
            }
            ready.signal()
            run()
            tearDown()
            stopped.signal()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
        ready.wait()
        if let error = failure.error { throw error }
        return thread
    }
}

private final class SetUpFailure: @unchecked Sendable {
    // Written by the loop thread before it signals `ready`, read after `ready.wait()`: ordered by the semaphore.
    var error: (any Error)?
}
