internal import CLibCoap
import Foundation
import Logging

/// One client loop thread and the libcoap contexts it owns. Everything that touches those contexts (and
/// their sessions) runs here; other threads hand work over with `perform`.
///
/// The loop waits in its own epoll on each context's epoll descriptor and on the `LoopWakeup` eventfd. When
/// a context is readable it collects that context's ready events and passes them to `coap_io_do_epoll`,
/// which also runs libcoap's timeouts; it never calls `coap_io_process`, whose extra timerfd re-arming per
/// call costs more than the request itself at high rates (design.md). Application timers are `LoopTimers`.
///
/// `@unchecked Sendable`: the contexts, sessions and timers are only touched on the loop thread (or before
/// it starts and after it ends); other threads only call `perform`.
final class CoAPClientLoop: @unchecked Sendable {
    let index: Int
    let configuration: CoAPClientConfiguration
    let logger: Logger
    private let wakeup: LoopWakeup
    private(set) var contexts: [OpaquePointer] = []
    /// Live sessions, kept alive here; libcoap's app data points at them unretained.
    var sessions: [ObjectIdentifier: CoAPClientSession] = [:]
    private var timers = LoopTimers()
    private var nextContext = 0
    private var thread: Thread?
    private var shouldRun = true
    /// What the loop waits on; made during set-up, freed at tear-down (loop thread).
    private var poll: LoopPoll?
    private let stopped = DispatchSemaphore(value: 0)
    private var loopThread: pthread_t?

    init(index: Int, configuration: CoAPClientConfiguration, logger: Logger) throws {
        self.index = index
        self.configuration = configuration
        self.logger = logger
        self.wakeup = try LoopWakeup()
    }

    /// True on this loop's thread: the only place libcoap and the sessions may be touched.
    var isCurrent: Bool {
        guard let loopThread else { return false }
        return pthread_equal(loopThread, pthread_self()) != 0
    }

    func perform(_ work: @escaping @Sendable () -> Void) {
        wakeup.enqueue(work)
    }

    /// Runs `work` on this loop after `seconds`; on the loop thread only.
    func schedule(after seconds: Double, _ work: @escaping () -> Void) {
        assert(isCurrent, "timers are scheduled on their loop thread")
        timers.schedule(at: LoopTimers.now() + UInt64(max(0, seconds) * 1e9), work)
    }

    /// The context the next session goes on (round robin over this loop's contexts).
    func takeContext() -> OpaquePointer {
        defer { nextContext = (nextContext + 1) % contexts.count }
        return contexts[nextContext]
    }

    func start() throws {
        thread = try LoopThread.start(
            name: "coap-client-\(index)", stopped: stopped,
            setUp: { [self] in
                self.loopThread = pthread_self()
                try self.createContexts()
            },
            run: { [self] in self.run() }, tearDown: { [self] in self.freeContexts() })
    }

    /// Ends the loop and frees its contexts, which sends close_notify to every session still open; waits.
    func stop() {
        guard thread != nil else { return }
        perform { [self] in self.shouldRun = false }
        stopped.wait()
        thread = nil
    }

    private func createContexts() throws {
        for _ in 0..<configuration.contextsPerLoop {
            guard let context = coap_new_context(nil) else {
                throw CoAPTransportError(.setup, "coap_new_context failed")
            }
            coap_set_app_data(context, Unmanaged.passUnretained(self).toOpaque())
            if configuration.blockwise {
                coap_context_set_block_mode(context, UInt8(COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY))
            }
            coap_register_response_handler(context, clientResponseHandler)
            coap_register_nack_handler(context, clientNackHandler)
            coap_register_event_handler(context, clientEventHandler)
            contexts.append(context)
        }
        // Registered during set-up, so a failure is reported to `start()` instead of leaving a deaf loop.
        let poll = try LoopPoll(capacity: contexts.count + 1)
        try poll.watch(wakeup.fileDescriptor, tag: Self.wakeupTag)
        for (index, context) in contexts.enumerated() {
            try poll.watch(coap_context_get_coap_fd(context), tag: UInt64(index))
        }
        self.poll = poll
    }

    private static let wakeupTag = UInt64.max

    private func freeContexts() {
        // Sessions still open get their close_notify from coap_free_context; their Swift side is told first.
        for session in Array(sessions.values) { session.detach(reporting: .closed) }
        for context in contexts { coap_free_context(context) }
        contexts.removeAll()
        poll = nil
    }

    private func run() {
        guard let poll else { return }
        let wakeupTag = Self.wakeupTag
        var contextEvents = ContextEvents()
        while shouldRun {
            let timeout = timers.millisecondsUntilNext(now: LoopTimers.now()) ?? 1000
            var needsPrepare = false
            poll.wait(milliseconds: min(timeout, 1000)) { tag in
                if tag == wakeupTag {
                    wakeup.drain()
                    needsPrepare = true
                } else {
                    contextEvents.handleReady(on: contexts[Int(tag)])
                }
            }
            let due = timers.takeDue(now: LoopTimers.now())
            for work in due { work() }
            // New sessions and requests from outside a libcoap callback need libcoap's timeouts armed.
            if needsPrepare || !due.isEmpty {
                for context in contexts { ContextEvents.prepare(context) }
            }
        }
    }
}
