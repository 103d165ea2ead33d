/// Where and how the CoAP server listens.
public struct CoAPServerConfiguration: Sendable {
    public typealias Endpoint = CoAPEndpoint

    /// The server's own certificate and key, and the CAs whose certificates it accepts, all DER in memory:
    /// OpenSSL parses them from memory, nothing is read from disk per handshake.
    public struct Credentials: Sendable {
        public var certificateDER: [UInt8]
        /// PKCS#8 or SEC1 DER of an EC P-256 key.
        public var privateKeyDER: [UInt8]
        /// Trust anchors for client certificates; at least one.
        public var trustAnchorsDER: [[UInt8]]

        public init(certificateDER: [UInt8], privateKeyDER: [UInt8], trustAnchorsDER: [[UInt8]]) {
            precondition(!trustAnchorsDER.isEmpty, "a DTLS server needs at least one trust anchor")
            self.certificateDER = certificateDER
            self.privateKeyDER = privateKeyDER
            self.trustAnchorsDER = trustAnchorsDER
        }
    }

    public var secure: Endpoint
    /// Plain CoAP for development only; nil (off) by default.
    public var plain: Endpoint?
    public var credentials: Credentials
    /// libcoap refuses new handshakes past this many in progress (design.md: 100).
    public var maxHandshakingSessions: Int
    /// Idle sessions are released after this many seconds.
    public var sessionIdleTimeout: Int
    /// SO_RCVBUF of the UDP sockets: the default 208 KB drops datagrams under bursts (design.md: 4 MB, no drops).
    public var receiveBufferBytes: Int
    /// Observe notifications leave at most this fast (each costs a DTLS record out and an ACK in), so a
    /// push to a large fleet takes its time instead of the devices' check-ins.
    public var notificationsPerSecond: Int
    /// Largest request body taken, whole or block-wise (spec: 16 KiB); a larger one gets 4.13 with Size1 at
    /// the first block that shows it (Size1 announced, or the bytes received so far).
    public var maxRequestBodyBytes: Int

    public init(
        secure: Endpoint, plain: Endpoint? = nil, credentials: Credentials,
        maxHandshakingSessions: Int = 100, sessionIdleTimeout: Int = 300, receiveBufferBytes: Int = 4 << 20,
        notificationsPerSecond: Int = 2000, maxRequestBodyBytes: Int = 16 * 1024
    ) {
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.notificationsPerSecond = notificationsPerSecond
        self.secure = secure
        self.plain = plain
        self.credentials = credentials
        self.maxHandshakingSessions = maxHandshakingSessions
        self.sessionIdleTimeout = sessionIdleTimeout
        self.receiveBufferBytes = receiveBufferBytes
    }
}
