internal import CLibCoap
import Foundation
import Logging
import Synchronization

/// Many DTLS client sessions (simulated devices) over libcoap, spread over loop threads and contexts.
///
/// ```swift
/// let engine = try CoAPClientEngine(configuration: .init(nstart: 8))
/// try engine.start()
/// engine.connect(to: server, credentials: device) { session, event in   // on the session's loop thread
///     guard event == .connected else { return }
///     session.send(CoAPClientRequest(.post, "/v1/telemetry", contentFormat: .senmlJSON, payload: pack)) { result in … }
/// }
/// engine.shutdown()   // paced close_notify for every session, then the loops end
/// ```
public final class CoAPClientEngine: Sendable {
    public typealias Endpoint = CoAPEndpoint

    public let configuration: CoAPClientConfiguration
    private let loops: [CoAPClientLoop]
    private let counters = Mutex((nextID: 0, nextLoop: 0, started: false))

    public init(configuration: CoAPClientConfiguration = .init(), logger: Logger = Logger(label: "coap-client")) throws {
        self.configuration = configuration
        loops = try (0..<configuration.loops).map { try CoAPClientLoop(index: $0, configuration: configuration, logger: logger) }
    }

    public func start() throws {
        CoAPLibrary.startOnce(logger: loops[0].logger)
        try counters.withLock { state in
            guard !state.started else { return }
            for loop in loops { try loop.start() }
            state.started = true
        }
    }

    /// Opens a session from any thread; returns at once. The handshake runs on a loop thread, where
    /// `onEvent` hears `.connected` or `.failed`, and later `.closed`. The returned session is usable
    /// (on its loop) as soon as `.connected` arrives.
    @discardableResult
    public func connect(
        to server: Endpoint, credentials: CoAPClientCredentials,
        onEvent: @escaping @Sendable (CoAPClientSession, CoAPClientSessionEvent) -> Void
    ) -> CoAPClientSession {
        let (id, loop) = counters.withLock { state -> (Int, CoAPClientLoop) in
            defer {
                state.nextID += 1
                state.nextLoop = (state.nextLoop + 1) % loops.count
            }
            return (state.nextID, loops[state.nextLoop])
        }
        let session = CoAPClientSession(id: id, loop: loop, onEvent: onEvent)
        loop.perform { [configuration] in
            Self.open(session, to: server, credentials: credentials, configuration: configuration)
        }
        return session
    }

    /// Closes every open session, `closesPerMillisecond` at a time (each sends close_notify), then stops the
    /// loops and frees the contexts. Waits; call it from outside the loop threads.
    public func shutdown() {
        let started = counters.withLock { $0.started }
        guard started else { return }
        let group = DispatchGroup()
        for loop in loops {
            group.enter()
            loop.perform { [configuration] in
                Self.closePaced(on: loop, perMillisecond: configuration.closesPerMillisecond) { group.leave() }
            }
        }
        group.wait()
        for loop in loops { loop.stop() }
        counters.withLock { $0.started = false }
    }

    /// Sessions still open (a snapshot, gathered from every loop).
    public func openSessionCount() -> Int {
        let total = Mutex(0)
        let group = DispatchGroup()
        for loop in loops {
            group.enter()
            loop.perform {
                let count = loop.sessions.count
                total.withLock { $0 += count }
                group.leave()
            }
        }
        group.wait()
        return total.withLock { $0 }
    }

    // MARK: - Loop thread

    private static func open(
        _ session: CoAPClientSession, to server: Endpoint, credentials: CoAPClientCredentials,
        configuration: CoAPClientConfiguration
    ) {
        var address = coap_address_t()
        guard bf_address(&address, server.host, server.port) == 1 else {
            return session.detach(reporting: .failed(.notDelivered))
        }
        let buffers = credentials.buffers
        var pki = coap_dtls_pki_t()
        bf_pki_client_asn1(
            &pki, buffers.certificate.baseAddress, buffers.certificate.count,
            buffers.privateKey.baseAddress, buffers.privateKey.count,
            buffers.anchors[0].baseAddress, buffers.anchors[0].count)
        // libcoap installs the certificate and key on the new SSL object during this call.
        guard let pointer = coap_new_client_session_pki(session.loop.takeContext(), nil, &address, COAP_PROTO_DTLS, &pki) else {
            return session.detach(reporting: .failed(.tlsFailed))
        }
        coap_session_set_nstart(pointer, UInt16(configuration.nstart))
        let seconds = configuration.ackTimeout.rounded(.down)
        coap_session_set_ack_timeout(pointer, bf_fixed_point(UInt32(seconds), UInt32((configuration.ackTimeout - seconds) * 1000)))
        coap_session_set_max_retransmit(pointer, UInt16(configuration.maxRetransmit))
        session.begin(pointer)
    }

    private static func closePaced(on loop: CoAPClientLoop, perMillisecond: Int, then done: @escaping () -> Void) {
        let batch = Array(loop.sessions.values.prefix(perMillisecond))
        guard !batch.isEmpty else { return done() }
        for session in batch { session.close() }
        loop.schedule(after: 0.001) { closePaced(on: loop, perMillisecond: perMillisecond, then: done) }
    }
}
