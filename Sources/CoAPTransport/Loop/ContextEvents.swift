internal import CLibCoap
import Glibc

/// Hands what is ready on one libcoap context to libcoap without `coap_io_process`.
///
/// A libcoap context keeps its sockets and its timerfd in an epoll descriptor of its own
/// (`coap_context_get_coap_fd`). Our loops wait on that descriptor together with their wake-up eventfd;
/// when it is readable, this collects the context's ready events without blocking and passes them to
/// `coap_io_do_epoll`, which reads the sockets, runs libcoap's timeouts and re-arms its timerfd once.
/// `coap_io_process` would re-arm that timerfd once more per call, a system call per request at high rates
/// (design.md).
///
/// libcoap 4.3.1 reads one datagram per ready event, so a busy server paid two `epoll_wait`s and a timerfd
/// re-arm per request. With `readsPerSocket` above 1 each ready socket is handed over that many times in one
/// call, so one wake-up reads up to that many datagrams; the read after the last one finds the socket empty
/// (EAGAIN), which libcoap reports as two warnings that `EmptyReadLog` swallows.
struct ContextEvents {
    let readsPerSocket: Int
    private var events: [epoll_event]

    init(readsPerSocket: Int = 1, capacity: Int = 256) {
        precondition(readsPerSocket >= 1 && readsPerSocket <= capacity)
        self.readsPerSocket = readsPerSocket
        events = [epoll_event](repeating: epoll_event(), count: capacity)
    }

    /// Lets libcoap handle everything ready on `context` now; on the context's loop thread only.
    mutating func handleReady(on context: OpaquePointer) {
        let ready = Int(bf_epoll_wait_inner(coap_context_get_coap_fd(context), &events, Int32(events.count / readsPerSocket)))
        guard ready > 0 else { return }
        guard readsPerSocket > 1 else {
            coap_io_do_epoll(context, &events, ready)
            return
        }
        var total = ready
        // Sockets carry their libcoap socket as data.ptr; the timerfd has none and is read once.
        for index in 0..<ready where events[index].data.ptr != nil {
            for _ in 1..<readsPerSocket {
                events[total] = events[index]
                total += 1
            }
        }
        EmptyReadLog.expectingEmptyReads {
            coap_io_do_epoll(context, &events, total)
        }
    }

    /// Arms libcoap's timeouts after work done outside a libcoap callback (a queued notification, a closed
    /// session): libcoap only looks at them when it is told to prepare.
    static func prepare(_ context: OpaquePointer) {
        coap_io_prepare_epoll(context, bf_coap_now())
    }
}
