internal import CLibCoap
import Foundation
import Logging

/// A CoAP/DTLS server on libcoap: one loop thread owns the libcoap context, and everything that touches
/// libcoap runs there. Resource handlers run on that thread too and must never block (no store calls).
///
/// `@unchecked Sendable`: the libcoap pointers and routes are only touched on the loop thread (or before
/// it starts and after it ends); other threads only call `perform`, which goes through `LoopWakeup`.
public final class CoAPServer: @unchecked Sendable {
    public let configuration: CoAPServerConfiguration
    public let statistics = TransportStatistics()
    let logger: Logger
    /// Decides whether a verified peer certificate may connect (called on the loop thread, at depth 0).
    let acceptPeer: @Sendable (PeerIdentity) -> Bool
    /// The key of a PSK identity, or nil to refuse it; PSK is off when this is nil (loop thread).
    let presharedKey: (@Sendable (String) -> [UInt8]?)?

    private var routes: [String: Route] = [:]
    private var linkAttributes: [String: [(String, String)]] = [:]
    private let wakeup: LoopWakeup
    /// The libcoap context (loop thread; nil before set-up and after tear-down).
    private(set) var context: OpaquePointer?
    private var thread: Thread?
    private var running = false
    private let stopped = DispatchSemaphore(value: 0)
    /// Owned copies of the DER credentials: libcoap keeps pointers to them for the context's lifetime.
    private let credentialBuffers: CredentialBuffers
    private var pkiSetup = coap_dtls_pki_t()
    var pskSetup = coap_dtls_spsk_t()
    /// SSL_CTX pointers whose trust store already holds every anchor (the callback runs per connection).
    var trustedContexts: Set<UnsafeMutableRawPointer> = []
    /// Sessions by the identity bound to them, so an identity can be cut off (loop thread only).
    var liveSessions: [CoAPSessionHandle: PeerIdentity] = [:]
    /// Observations and queued notifications (loop thread only).
    var observations = ObservationRegistry()
    /// Ticks while notifications are queued (see `CoAPServer+Observe.swift`); touched on the loop thread.
    var pacingTimer: (any DispatchSourceTimer)?
    let pacingQueue = DispatchQueue(label: "coap-notification-pacing")
    static let pacingTickSeconds = 0.01
    static let pacingTick = DispatchTimeInterval.milliseconds(10)

    public init(
        configuration: CoAPServerConfiguration, logger: Logger,
        acceptPeer: @escaping @Sendable (PeerIdentity) -> Bool = { _ in true },
        presharedKey: (@Sendable (String) -> [UInt8]?)? = nil
    ) throws {
        self.configuration = configuration
        self.logger = logger
        self.acceptPeer = acceptPeer
        self.presharedKey = presharedKey
        self.wakeup = try LoopWakeup()
        self.credentialBuffers = CredentialBuffers(configuration.credentials)
    }

    deinit {
        if running { stop() }
    }

    /// Adds a resource before `start()`. The handler answers every method; `attributes` go into
    /// `/.well-known/core` (e.g. `("ct", "50")`). An `observable` resource keeps an observation for each
    /// successful GET with Observe 0 (and lists `obs`); `notifyObservers` then re-runs its handler for
    /// each observing peer.
    public func addResource(
        _ path: String, attributes: [(String, String)] = [], observable: Bool = false, handler: @escaping CoAPHandler
    ) {
        precondition(thread == nil, "resources are added before the server starts")
        routes[path] = Route(path: path, observable: observable, handler: handler)
        linkAttributes[path] = observable ? attributes + [("obs", "")] : attributes
    }

    /// Runs `work` on the loop thread, where libcoap may be called.
    public func perform(_ work: @escaping @Sendable () -> Void) {
        wakeup.enqueue(work)
    }

    /// Creates the context and endpoints on a new loop thread; returns once it listens or throws why not.
    public func start() throws {
        running = true
        do {
            thread = try LoopThread.start(
                name: "coap-loop", stopped: stopped, setUp: { [self] in try self.setUp() },
                run: { [self] in self.runLoop() }, tearDown: { [self] in self.tearDown() })
        } catch {
            running = false
            throw error
        }
    }

    /// Stops the loop, closes every session (with close_notify) and frees the context.
    public func stop() {
        guard running else { return }
        running = false
        perform { [self] in self.shouldRun = false }
        stopped.wait()
    }

    // MARK: - Loop thread

    private var shouldRun = true

    private func setUp() throws {
        CoAPLibrary.startOnce(logger: logger)
        guard let context = coap_new_context(nil) else { throw CoAPTransportError(.setup, "coap_new_context failed") }
        self.context = context
        coap_set_app_data(context, Unmanaged.passUnretained(self).toOpaque())
        coap_context_set_block_mode(context, UInt8(COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY))
        coap_context_set_max_handshake_sessions(context, UInt32(configuration.maxHandshakingSessions))
        coap_context_set_session_timeout(context, UInt32(configuration.sessionIdleTimeout))
        coap_register_event_handler(context, coapEventHandler)
        coap_register_nack_handler(context, coapNackHandler)
        // PSK before PKI: libcoap's OpenSSL layer then picks per ClientHello (PSK suites offered → PSK).
        try configurePresharedKeys(context)
        try configurePKI(context)
        try bind(context, configuration.secure, proto: COAP_PROTO_DTLS)
        if let plain = configuration.plain { try bind(context, plain, proto: COAP_PROTO_UDP) }
        registerResources(context)
    }

    private func configurePKI(_ context: OpaquePointer) throws {
        let buffers = credentialBuffers
        bf_pki_server_asn1(
            &pkiSetup, buffers.certificate.baseAddress, buffers.certificate.count,
            buffers.privateKey.baseAddress, buffers.privateKey.count,
            buffers.anchors[0].baseAddress, buffers.anchors[0].count,
            validateCommonName, additionalTLSSetup, Unmanaged.passUnretained(self).toOpaque())
        guard coap_context_set_pki(context, &pkiSetup) == 1 else {
            throw CoAPTransportError(.credentials, "coap_context_set_pki refused the server certificate or key")
        }
    }

    private func bind(_ context: OpaquePointer, _ endpoint: CoAPServerConfiguration.Endpoint, proto: coap_proto_t) throws {
        var address = coap_address_t()
        guard bf_address(&address, endpoint.host, endpoint.port) == 1 else {
            throw CoAPTransportError(.bind, "\(endpoint.host) is not an IP address")
        }
        guard coap_new_endpoint(context, &address, proto) != nil else {
            throw CoAPTransportError(.bind, "cannot listen on \(endpoint.host):\(endpoint.port) (in use?)")
        }
        let granted = bf_set_udp_receive_buffer(endpoint.port, Int32(configuration.receiveBufferBytes))
        if granted < configuration.receiveBufferBytes {
            logger.warning("UDP receive buffer smaller than asked: raise net.core.rmem_max to avoid drops under load",
                           metadata: ["asked": "\(configuration.receiveBufferBytes)", "granted": "\(granted)"])
        }
    }

    private func registerResources(_ context: OpaquePointer) {
        for (path, route) in routes {
            // Without the RELEASE flags libcoap copies the path and attribute strings it is given.
            let resource = path.withCString { coap_resource_init(coap_make_str_const($0), 0) }
            attach(route, to: resource)
            for (name, value) in linkAttributes[path] ?? [] {
                name.withCString { name in
                    // An attribute without a value (`obs`) is written bare, not as `obs=`.
                    guard !value.isEmpty else { _ = coap_add_attr(resource, coap_make_str_const(name), nil, 0); return }
                    value.withCString { value in
                        _ = coap_add_attr(resource, coap_make_str_const(name), coap_make_str_const(value), 0)
                    }
                }
            }
            coap_add_resource(context, resource)
        }
        // Anything else: 4.04 with a diagnostic, rather than libcoap's bare 4.04.
        let unknown = Route(path: "", handler: { request in
            .error(.notFound, "no resource /\(request.path)")
        })
        routes[""] = unknown
        let resource = coap_resource_unknown_init(handleRequest)
        attach(unknown, to: resource)
        coap_add_resource(context, resource)
    }

    private func attach(_ route: Route, to resource: OpaquePointer?) {
        coap_resource_set_userdata(resource, Unmanaged.passUnretained(route).toOpaque())
        for method in CoAPMethod.allCases {
            coap_register_request_handler(resource, coap_request_t(UInt32(method.rawValue)), handleRequest)
        }
    }

    /// Waits on libcoap's epoll descriptor and the wake-up eventfd and drives libcoap through
    /// `ContextEvents` (`coap_io_do_epoll`), never `coap_io_process`: its extra timerfd re-arm per call
    /// was a system call per request (design.md).
    private func runLoop() {
        guard let context else { return }
        let poll = LoopPoll(capacity: 2)
        let libcoapTag: UInt64 = 0, wakeupTag: UInt64 = 1
        poll.watch(coap_context_get_coap_fd(context), tag: libcoapTag)
        poll.watch(wakeup.fileDescriptor, tag: wakeupTag)
        // Up to 32 datagrams per wake-up: one epoll_wait pair and one timerfd re-arm for a burst, not per request.
        var contextEvents = ContextEvents(readsPerSocket: 32)
        ContextEvents.prepare(context)
        while shouldRun {
            // libcoap's epoll descriptor includes its timerfd, so a due retransmission wakes us; the cap is a safety net.
            var ranHandedWork = false
            poll.wait(milliseconds: 1000) { tag in
                if tag == wakeupTag {
                    wakeup.drain()
                    ranHandedWork = true
                } else {
                    contextEvents.handleReady(on: context)
                }
            }
            // Work from other threads (notifications, closed sessions) ran outside a libcoap callback.
            if ranHandedWork { ContextEvents.prepare(context) }
        }
    }

    private func tearDown() {
        pacingTimer?.cancel()
        pacingTimer = nil
        guard let context else { return }
        // coap_free_context sends close_notify to every DTLS peer and releases the sessions (and so
        // fires SERVER_SESSION_DEL for each, which frees their SessionState).
        coap_free_context(context)
        self.context = nil
        logger.info("CoAP server stopped")
    }

    func route(for resource: OpaquePointer?) -> Route? {
        guard let resource, let data = coap_resource_get_userdata(resource) else { return nil }
        return Unmanaged<Route>.fromOpaque(data).takeUnretainedValue()
    }
}

/// A path and its handler; the resource's userdata points at it (the server's `routes` keep it alive).
final class Route {
    let path: String
    let observable: Bool
    let handler: CoAPHandler

    init(path: String, observable: Bool = false, handler: @escaping CoAPHandler) {
        self.path = path
        self.observable = observable
        self.handler = handler
    }
}
