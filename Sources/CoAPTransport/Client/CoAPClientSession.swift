internal import CLibCoap
import Foundation

/// One DTLS client session: a device talking to the server. Confined to its loop thread: `send`,
/// `observe` and `close` are called there (from a completion, an event handler, a timer or `perform`).
///
/// `@unchecked Sendable` so that other threads can hold it and hop onto its loop with `perform`; its
/// state is only read and written on the loop thread.
public final class CoAPClientSession: @unchecked Sendable {
    public typealias EventHandler = (CoAPClientSession, CoAPClientSessionEvent) -> Void

    public enum State: Sendable, Equatable { case connecting, connected, closed }

    /// A number unique within the engine (for logs and for the application's own tables).
    public let id: Int
    public private(set) var state: State = .connecting
    /// Free for the application (e.g. the simulated device driving this session); loop thread only.
    public var context: AnyObject?

    let loop: CoAPClientLoop
    var pointer: OpaquePointer?
    private let onEvent: EventHandler
    var pending: [UInt32: Pending] = [:]
    var observers: [UInt32: Observer] = [:]
    private var nextToken: UInt32 = 1
    private var handshakeStarted: UInt64 = 0

    struct Pending {
        let sentAt: UInt64
        let completion: (CoAPClientResult) -> Void
    }

    struct Observer {
        let registeredAt: UInt64
        let handler: (CoAPClientResult) -> Void
    }

    init(id: Int, loop: CoAPClientLoop, onEvent: @escaping EventHandler) {
        self.id = id
        self.loop = loop
        self.onEvent = onEvent
    }

    /// Requests sent and not yet answered.
    public var inFlight: Int { pending.count }
    public var observations: Int { observers.count }
    /// Nanoseconds from `connect` to the end of the handshake (0 until connected).
    public private(set) var handshakeNanoseconds: UInt64 = 0

    /// Runs `work` on this session's loop thread, from any thread.
    public func perform(_ work: @escaping @Sendable (CoAPClientSession) -> Void) {
        loop.perform { [self] in work(self) }
    }

    /// Runs `work` on this session's loop after `seconds` (loop thread only).
    public func schedule(after seconds: Double, _ work: @escaping (CoAPClientSession) -> Void) {
        loop.schedule(after: seconds) { [self] in work(self) }
    }

    /// Sends a request; `completion` runs on the loop thread with the response or why there is none.
    /// Before the handshake completes libcoap holds the request and sends it once connected.
    public func send(_ request: CoAPClientRequest, completion: @escaping (CoAPClientResult) -> Void) {
        assert(loop.isCurrent, "a session is used on its loop thread")
        guard state != .closed, let pointer else { return completion(.failure(.closed)) }
        let token = takeToken()
        guard transmit(request, token: token, observe: false, on: pointer) else {
            return completion(.failure(.notDelivered))
        }
        pending[token] = Pending(sentAt: LoopTimers.now(), completion: completion)
    }

    /// Registers an observation (GET with Observe 0): `handler` gets the first answer and every
    /// notification until the server ends the observation (an error code or an answer without Observe),
    /// or the session closes. libcoap acknowledges confirmable notifications.
    public func observe(_ path: String, handler: @escaping (CoAPClientResult) -> Void) {
        assert(loop.isCurrent, "a session is used on its loop thread")
        guard state != .closed, let pointer else { return handler(.failure(.closed)) }
        let token = takeToken()
        guard transmit(CoAPClientRequest(.get, path), token: token, observe: true, on: pointer) else {
            return handler(.failure(.notDelivered))
        }
        observers[token] = Observer(registeredAt: LoopTimers.now(), handler: handler)
    }

    /// Forgets every observation without telling the server, as a device that rebooted would: libcoap
    /// answers the next notification of each with RST, which ends it on the server. Their handlers hear nothing.
    public func forgetObservations() {
        assert(loop.isCurrent, "a session is used on its loop thread")
        observers.removeAll()
    }

    /// Ends the session: close_notify to the server (if the handshake had completed), libcoap releases
    /// it, unanswered requests fail with `.closed`, and the event handler hears `.closed`.
    public func close() {
        assert(loop.isCurrent, "a session is used on its loop thread")
        guard state != .closed else { return }
        detach(reporting: .closed)
    }

    // MARK: - Engine side (loop thread)

    func begin(_ pointer: OpaquePointer) {
        self.pointer = pointer
        handshakeStarted = LoopTimers.now()
        coap_session_set_app_data(pointer, Unmanaged.passUnretained(self).toOpaque())
        loop.sessions[ObjectIdentifier(self)] = self
        let timeout = loop.configuration.handshakeTimeout
        loop.schedule(after: timeout) { [weak self] in
            guard let self, self.state == .connecting else { return }
            self.detach(reporting: .failed(.timeout))
        }
    }

    func didConnect() {
        guard state == .connecting else { return }
        state = .connected
        handshakeNanoseconds = LoopTimers.now() - handshakeStarted
        onEvent(self, .connected)
    }

    /// Cuts the session loose from libcoap and tells the application. libcoap may still call back for this
    /// session while it winds down; with its app data cleared those calls find nobody.
    func detach(reporting event: CoAPClientSessionEvent) {
        guard state != .closed else { return }
        state = .closed
        if let pointer {
            coap_session_set_app_data(pointer, nil)
            self.pointer = nil
            // Not inside a libcoap callback, which may still use the session after it returns: the loop
            // releases it once the current round of I/O is over.
            loop.schedule(after: 0) { Self.release(pointer) }
        }
        loop.sessions[ObjectIdentifier(self)] = nil
        let waiting = pending.values
        let watching = observers.values
        pending.removeAll()
        observers.removeAll()
        for request in waiting { request.completion(.failure(.closed)) }
        for observer in watching { observer.handler(.failure(.closed)) }
        onEvent(self, event)
    }

    /// Drops whatever libcoap still queues for the session (its nacks find no app data), sends close_notify
    /// if the DTLS session is up, and frees it now rather than after its last retransmission.
    private static func release(_ pointer: OpaquePointer) {
        coap_session_disconnected(pointer, COAP_NACK_NOT_DELIVERABLE)
        coap_session_release(pointer)
    }

    private func takeToken() -> UInt32 {
        defer { nextToken &+= 1 }
        return nextToken
    }
}
