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
        if wasEmpty { signal() }
    }

    /// Adds one to the eventfd's counter. The only failure an eventfd write can have with 8 bytes is EAGAIN,
    /// a counter at its maximum — the loop then has a wake-up pending already. EINTR is retried; anything
    /// else means the descriptor is gone, and a loop that can no longer be woken must not fail silently.
    private func signal() {
        var one: UInt64 = 1
        while true {
            let written = write(fileDescriptor, &one, MemoryLayout<UInt64>.size)
            if written == MemoryLayout<UInt64>.size || (written < 0 && errno == EAGAIN) { return }
            if written < 0 && errno == EINTR { continue }
            fatalError("cannot wake the CoAP loop: write to its eventfd returned \(written), errno \(errno)")
        }
    }

    /// Runs everything queued so far; on the loop thread only.
    func drain() {
        var counter: UInt64 = 0
        // Resets the counter; EAGAIN (already reset by an earlier drain) is harmless: the queue is the truth.
        _ = read(fileDescriptor, &counter, MemoryLayout<UInt64>.size)
        let work = queue.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        for item in work { item() }
    }
}
