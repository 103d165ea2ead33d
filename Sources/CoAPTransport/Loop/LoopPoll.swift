internal import CLibCoap
import Glibc

/// The epoll descriptor a loop thread waits on: libcoap contexts' own descriptors and the wake-up eventfd,
/// each registered with a tag that says which one fired.
final class LoopPoll {
    private let descriptor: Int32
    private var ready: [epoll_event]

    init(capacity: Int) throws(CoAPTransportError) {
        descriptor = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard descriptor >= 0 else { throw CoAPTransportError(.system, "epoll_create1 failed: errno \(errno)") }
        ready = [epoll_event](repeating: epoll_event(), count: max(capacity, 1))
    }

    deinit { close(descriptor) }

    func watch(_ fd: Int32, tag: UInt64) throws(CoAPTransportError) {
        var event = epoll_event()
        event.events = bf_epollin()
        event.data.u64 = tag
        guard epoll_ctl(descriptor, EPOLL_CTL_ADD, fd, &event) == 0 else {
            throw CoAPTransportError(.system, "epoll_ctl(ADD, fd \(fd)) failed: errno \(errno)")
        }
    }

    /// Waits up to `milliseconds`, then calls `fired` with the tag of each descriptor that is ready (none on
    /// timeout or EINTR). A closure rather than an array: this runs once per wake-up of a busy loop.
    func wait(milliseconds: Int32, _ fired: (UInt64) -> Void) {
        let count = epoll_wait(descriptor, &ready, Int32(ready.count), milliseconds)
        for index in 0..<Int(max(count, 0)) { fired(ready[index].data.u64) }
    }
}
