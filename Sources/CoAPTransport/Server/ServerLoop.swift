internal import CLibCoap
import Foundation
import Logging

/// Owns one libcoap server context and the thread that runs it. Everything that touches libcoap runs on
/// that thread; resource handlers run there too and must never block (no store calls).
///
/// The public face is `CoAPServer`, which holds this loop: the loop thread retains the loop, never the
/// `CoAPServer`, so dropping the last `CoAPServer` stops the thread (its `deinit`) instead of leaking it.
///
/// `@unchecked Sendable`: the libcoap pointers, routes, sessions and observations are only touched on the
/// loop thread (or before it starts and after it ends, with the thread's start and end ordering the
/// accesses); other threads only call `perform`, which goes through `LoopWakeup`.
final class ServerLoop: @unchecked Sendable {
    let configuration: CoAPServerConfiguration
    let statistics = TransportStatistics()
    let logger: Logger
    /// Decides whether a verified peer certificate may connect (called on the loop thread, at depth 0).
    let acceptPeer: @Sendable (PeerIdentity) -> Bool
    /// The key of a PSK identity, or nil to refuse it; PSK is off when this is nil (loop thread).
    let presharedKey: (@Sendable (String) -> [UInt8]?)?

    private var routes: [String: Route] = [:]
    private var linkAttributes: [String: [(String, String)]] = [:]
    /// Handlers of every path under a prefix (`v1/commands/` for `v1/commands/{id}`), tried in order for
    /// paths no resource has.
    private var prefixRoutes: [(prefix: String, handler: CoAPHandler)] = []
    private let wakeup: LoopWakeup
    let owner = LoopOwner()
    /// The libcoap context (loop thread; nil before set-up and after tear-down).
    private(set) var context: OpaquePointer?
    private var thread: Thread?
    private var running = false
    private var shouldRun = true
    private let stopped = DispatchSemaphore(value: 0)
    /// Owned copies of the DER credentials: libcoap keeps pointers to them for the context's lifetime.
    private let credentialBuffers: CredentialBuffers
    private var pkiSetup = coap_dtls_pki_t()
    var pskSetup = coap_dtls_spsk_t()
    /// SSL_CTX pointers whose trust store already holds every anchor (the callback runs per connection).
    var trustedContexts: Set<UnsafeMutableRawPointer> = []
    /// Every session the server has given a `SessionState`, by its handle; a handle of a closed session
    /// finds nothing here (loop thread only).
    var sessions: [CoAPSessionHandle: OpaquePointer] = [:]
    var nextSessionNumber: UInt64 = 0
    /// Sessions by the identity bound to them, so an identity can be cut off (loop thread only).
    var liveSessions: [CoAPSessionHandle: PeerIdentity] = [:]
    /// Observations and queued notifications (loop thread only).
    var observations = ObservationRegistry()
    /// Notifications waiting to be known acknowledged, and the probes that will tell (loop thread only).
    var acknowledgements = NotificationAcknowledgements()
    /// Request bodies arriving block by block (loop thread only).
    var blockTransfers: Block1Assembler
    /// Ticks while notifications are queued (see `ServerLoop+Observe.swift`); touched on the loop thread.
    var pacingTimer: (any DispatchSourceTimer)?
    let pacingQueue = DispatchQueue(label: "coap-notification-pacing")
    static let pacingTickSeconds = 0.01
    static let pacingTick = DispatchTimeInterval.milliseconds(10)

    init(
        configuration: CoAPServerConfiguration, logger: Logger,
        acceptPeer: @escaping @Sendable (PeerIdentity) -> Bool,
        presharedKey: (@Sendable (String) -> [UInt8]?)?
    ) throws {
        self.configuration = configuration
        self.logger = logger
        self.acceptPeer = acceptPeer
        self.presharedKey = presharedKey
        self.wakeup = try LoopWakeup()
        self.credentialBuffers = CredentialBuffers(configuration.credentials)
        self.blockTransfers = Block1Assembler(maxBodyBytes: configuration.maxRequestBodyBytes)
    }

    func addResource(
        _ path: String, attributes: [(String, String)], observable: Bool, blockwiseAnswers: Bool, readsAccept: Bool,
        handler: @escaping CoAPHandler
    ) {
        precondition(thread == nil, "resources are added before the server starts")
        routes[path] = Route(path: path, observable: observable, blockwiseAnswers: blockwiseAnswers, readsAccept: readsAccept, handler: handler)
        linkAttributes[path] = observable ? attributes + [("obs", "")] : attributes
    }

    func addResources(under prefix: String, handler: @escaping CoAPHandler) {
        precondition(thread == nil, "resources are added before the server starts")
        prefixRoutes.append((prefix, handler))
    }

    /// Runs `work` on the loop thread, where libcoap may be called.
    func perform(_ work: @escaping @Sendable () -> Void) {
        wakeup.enqueue(work)
    }

    func start() throws {
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

    /// Stops the loop, closes every session (with close_notify) and frees the context; waits for the end.
    func stop() {
        guard running else { return }
        running = false
        perform { [self] in self.shouldRun = false }
        stopped.wait()
    }

    // MARK: - Loop thread

    private func setUp() throws {
        owner.claim()
        CoAPLibrary.startOnce(logger: logger)
        guard let context = coap_new_context(nil) else { throw CoAPTransportError(.setup, "coap_new_context failed") }
        self.context = context
        coap_set_app_data(context, Unmanaged.passUnretained(self).toOpaque())
        ProbeResetLog.attach(self)
        // No libcoap block-wise handling on the server: `Block1Assembler` reassembles request bodies (libcoap
        // 4.3.1's single-body reassembly crashes on an empty last block), and every answer fits one datagram.
        coap_context_set_block_mode(context, 0)
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
        let epoll = coap_context_get_coap_fd(context)
        let before = try EndpointSocket.registered(in: epoll)
        guard coap_new_endpoint(context, &address, proto) != nil else {
            throw CoAPTransportError(.bind, "cannot listen on \(endpoint.host):\(endpoint.port) (in use?)")
        }
        let socket = try EndpointSocket.added(to: epoll, since: before, boundTo: endpoint)
        let granted = try socket.setReceiveBuffer(bytes: configuration.receiveBufferBytes)
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
        // Anything else: a prefix's handler, or 4.04 with a diagnostic rather than libcoap's bare 4.04.
        let prefixes = prefixRoutes
        let unknown = Route(path: "", handler: { request in
            for route in prefixes where request.path.hasPrefix(route.prefix) && request.path.count > route.prefix.count {
                return route.handler(request)
            }
            return .error(.notFound, "no resource /\(request.path)")
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
        let poll: LoopPoll
        let libcoapTag: UInt64 = 0, wakeupTag: UInt64 = 1
        do {
            poll = try LoopPoll(capacity: 2)
            try poll.watch(coap_context_get_coap_fd(context), tag: libcoapTag)
            try poll.watch(wakeup.fileDescriptor, tag: wakeupTag)
        } catch {
            logger.critical("the CoAP loop cannot wait for its descriptors", metadata: ["error": "\(error)"])
            return
        }
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
        ProbeResetLog.detach()
        owner.release()
        logger.info("CoAP server stopped")
    }

    func route(for resource: OpaquePointer?) -> Route? {
        guard let resource, let data = coap_resource_get_userdata(resource) else { return nil }
        return Unmanaged<Route>.fromOpaque(data).takeUnretainedValue()
    }
}

/// A path and its handler; the resource's userdata points at it (the loop's `routes` keep it alive).
final class Route {
    let path: String
    let observable: Bool
    /// Answers may be larger than a datagram and go out block by block (Block2).
    let blockwiseAnswers: Bool
    /// The handler reads the request's Accept option.
    let readsAccept: Bool
    let handler: CoAPHandler

    init(path: String, observable: Bool = false, blockwiseAnswers: Bool = false, readsAccept: Bool = false, handler: @escaping CoAPHandler) {
        self.path = path
        self.observable = observable
        self.blockwiseAnswers = blockwiseAnswers
        self.readsAccept = readsAccept
        self.handler = handler
    }
}
