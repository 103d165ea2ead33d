/// How a `CoAPClientEngine` spreads its sessions and how each session behaves.
///
/// libcoap walks a context's whole send queue on every confirmable message and acknowledgement, and each
/// wake-up of a context costs a pass over its sessions (design.md: client-side costs), so thousands of
/// sessions go on several contexts. Each loop thread owns its contexts; on this 2-core machine one loop is
/// usually best (the server under test needs the other core).
public struct CoAPClientConfiguration: Sendable {
    /// Loop threads; each owns `contextsPerLoop` libcoap contexts and runs its own epoll.
    public var loops: Int
    public var contextsPerLoop: Int
    /// Requests a session keeps in flight at once (CoAP NSTART, RFC 7252 §4.7); libcoap queues the rest.
    public var nstart: Int
    /// Seconds before the first retransmission of a confirmable message. libcoap 4.3.1 ignores values
    /// under one second, so this is clamped to at least 1.
    public var ackTimeout: Double
    /// Retransmissions before a request fails as a timeout (RFC 7252 default 4, about 45 s in all).
    public var maxRetransmit: Int
    /// A session that has not finished its DTLS handshake after this many seconds fails.
    public var handshakeTimeout: Double
    /// Sessions closed per millisecond at shutdown: a burst of close_notify alerts would overflow the
    /// server's receive buffer and leave it holding sessions for their idle timeout.
    public var closesPerMillisecond: Int
    /// Let libcoap reassemble block-wise responses (RFC 7959). Off for load generation (it costs per request).
    public var blockwise: Bool

    public init(
        loops: Int = 1, contextsPerLoop: Int = 1, nstart: Int = 1, ackTimeout: Double = 2, maxRetransmit: Int = 4,
        handshakeTimeout: Double = 15, closesPerMillisecond: Int = 2, blockwise: Bool = false
    ) {
        self.loops = max(1, loops)
        self.contextsPerLoop = max(1, contextsPerLoop)
        self.nstart = max(1, nstart)
        self.ackTimeout = max(1, ackTimeout)
        self.maxRetransmit = max(0, maxRetransmit)
        self.handshakeTimeout = handshakeTimeout
        self.closesPerMillisecond = max(1, closesPerMillisecond)
        self.blockwise = blockwise
    }
}
