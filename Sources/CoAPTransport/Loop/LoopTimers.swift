internal import CLibCoap
import HeapModule

/// One-shot timers of a client loop thread, in a min-heap on the monotonic clock. The loop drives them
/// itself (its epoll timeout is the nearest deadline) instead of arming a timerfd per timer: libcoap's own
/// timerfd is already re-armed far too often (design.md), and device timers come in thousands.
struct LoopTimers {
    private struct Entry: Comparable {
        let deadline: UInt64
        /// Ties keep their scheduling order.
        let sequence: UInt64
        let work: () -> Void

        static func < (a: Entry, b: Entry) -> Bool {
            a.deadline != b.deadline ? a.deadline < b.deadline : a.sequence < b.sequence
        }

        static func == (a: Entry, b: Entry) -> Bool { a.deadline == b.deadline && a.sequence == b.sequence }
    }

    private var heap = Heap<Entry>()
    private var sequence: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    static func now() -> UInt64 { bf_monotonic_ns() }

    mutating func schedule(at deadline: UInt64, _ work: @escaping () -> Void) {
        sequence &+= 1
        heap.insert(Entry(deadline: deadline, sequence: sequence, work: work))
    }

    /// Milliseconds until the nearest deadline (rounded up), or nil without timers.
    func millisecondsUntilNext(now: UInt64) -> Int32? {
        guard let first = heap.min else { return nil }
        guard first.deadline > now else { return 0 }
        return Int32(min((first.deadline - now + 999_999) / 1_000_000, 60_000))
    }

    /// Removes and returns the work whose deadline has passed, earliest first. Work scheduled while it runs
    /// waits for the next call, so a timer that re-schedules itself at "now" cannot starve the loop.
    mutating func takeDue(now: UInt64) -> [() -> Void] {
        var due: [() -> Void] = []
        while let first = heap.min, first.deadline <= now {
            due.append(first.work)
            heap.removeMin()
        }
        return due
    }
}
