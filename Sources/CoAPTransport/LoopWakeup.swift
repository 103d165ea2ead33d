internal import CLibCoap
import Glibc
import Synchronization

/// Hands work to the loop thread: a queue behind a mutex, and an eventfd that wakes the loop's epoll.
/// libcoap is not thread-safe, so this is the only way other threads reach it.
final class LoopWakeup: Sendable {
    let fileDescriptor: Int32
    private let queue = Mutex<[@Sendable () -> Void]>([])

    init() throws(CoAPTransportError) {
        let fd = bf_eventfd()
        guard fd >= 0 else { throw CoAPTransportError(.system, "eventfd failed: errno \(errno)") }
        fileDescriptor = fd
    }

    deinit { close(fileDescriptor) }

    /// Queues `work` and wakes the loop; callable from any thread.
    func enqueue(_ work: @escaping @Sendable () -> Void) {
        let wasEmpty = queue.withLock { pending in
            pending.append(work)
            return pending.count == 1
        }
        // One wake-up per batch of work: a loop that is already going to drain needs no second one.
        if wasEmpty {
            var one: UInt64 = 1
            _ = write(fileDescriptor, &one, MemoryLayout<UInt64>.size)
        }
    }

    /// Runs everything queued so far; on the loop thread only.
    func drain() {
        var counter: UInt64 = 0
        _ = read(fileDescriptor, &counter, MemoryLayout<UInt64>.size)
        let work = queue.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        for item in work { item() }
    }
}
