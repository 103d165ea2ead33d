internal import CLibCoap

/// One-shot timers of a client loop thread, as a binary min-heap on the monotonic clock. The loop drives
/// them itself (its epoll timeout is the nearest deadline) instead of arming a timerfd per timer: libcoap's
/// own timerfd is already re-armed far too often (design.md), and device timers come in thousands.
struct LoopTimers {
    private struct Entry {
        let deadline: UInt64
        /// Ties keep their scheduling order.
        let sequence: UInt64
        let work: () -> Void
    }

    private var heap: [Entry] = []
    private var sequence: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    static func now() -> UInt64 { bf_monotonic_ns() }

    mutating func schedule(at deadline: UInt64, _ work: @escaping () -> Void) {
        sequence &+= 1
        heap.append(Entry(deadline: deadline, sequence: sequence, work: work))
        siftUp(heap.count - 1)
    }

    /// Milliseconds until the nearest deadline (rounded up), or nil without timers.
    func millisecondsUntilNext(now: UInt64) -> Int32? {
        guard let first = heap.first else { return nil }
        guard first.deadline > now else { return 0 }
        return Int32(min((first.deadline - now + 999_999) / 1_000_000, 60_000))
    }

    /// Removes and returns the work whose deadline has passed, earliest first. Work scheduled while it runs
    /// waits for the next call, so a timer that re-schedules itself at "now" cannot starve the loop.
    mutating func takeDue(now: UInt64) -> [() -> Void] {
        var due: [() -> Void] = []
        while let first = heap.first, first.deadline <= now {
            due.append(first.work)
            removeFirst()
        }
        return due
    }

    private mutating func removeFirst() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        heap[a].deadline != heap[b].deadline ? heap[a].deadline < heap[b].deadline : heap[a].sequence < heap[b].sequence
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(child, parent) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && less(left, smallest) { smallest = left }
            if right < heap.count && less(right, smallest) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
