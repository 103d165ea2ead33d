/// A request a client session sends.
public struct CoAPClientRequest: Sendable {
    public var method: CoAPMethod
    /// `/v1/telemetry` or `v1/telemetry`: split into Uri-Path options.
    public let path: String
    public var contentFormat: ContentFormat?
    public var payload: [UInt8]
    /// CON (retransmitted until acknowledged) or NON.
    public var confirmable: Bool
    /// A Block1 option (RFC 7959) sent as is: for a caller that sends a body block by block itself.
    public var block1: BlockOption?
    /// A Size1 option: the whole body's size, announced with a block-wise transfer (optional in RFC 7959).
    public var size1: Int?

    public init(
        _ method: CoAPMethod, _ path: String, contentFormat: ContentFormat? = nil, payload: [UInt8] = [],
        confirmable: Bool = true
    ) {
        self.method = method
        self.path = path
        self.contentFormat = contentFormat
        self.payload = payload
        self.confirmable = confirmable
        segments = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
    }

    /// Takes the Uri-Path segments as they are (a segment may contain `/`, e.g. a command id).
    public init(
        _ method: CoAPMethod, segments: [String], contentFormat: ContentFormat? = nil, payload: [UInt8] = [],
        confirmable: Bool = true
    ) {
        self.method = method
        self.path = "/" + segments.joined(separator: "/")
        self.contentFormat = contentFormat
        self.payload = payload
        self.confirmable = confirmable
        self.segments = segments.map { Array($0.utf8) }
    }

    /// The Uri-Path segments, split once so a request sent many times is not re-parsed each time.
    let segments: [[UInt8]]
}

/// A response (or an Observe notification) as the client received it.
public struct CoAPClientResponse: Sendable {
    public let code: CoAPCode
    public let contentFormat: ContentFormat?
    public let payload: [UInt8]
    /// The Observe sequence number of a notification (or of the answer that accepted a registration).
    public let observe: UInt32?
    /// The Block1 option of the answer to a block-wise request, if any.
    public let block1: BlockOption?
    /// The Size1 option (the largest body a 4.13 says the server takes), if any.
    public let size1: Int?
    /// From sending the request to this response, in nanoseconds (for a notification: since registering).
    public let latencyNanoseconds: UInt64

    public var text: String { String(decoding: payload, as: UTF8.self) }
}

/// Why a request got no response.
public enum CoAPClientFailure: Error, Sendable, Equatable {
    /// Every retransmission went unanswered.
    case timeout
    /// The server answered with a reset (RST).
    case reset
    /// The DTLS session failed (handshake refused, alert).
    case tlsFailed
    /// libcoap could not send it (socket error, ICMP unreachable).
    case notDelivered
    /// The session was closed before the answer came.
    case closed
}

public typealias CoAPClientResult = Result<CoAPClientResponse, CoAPClientFailure>

/// What happens to a session, reported on its loop thread.
public enum CoAPClientSessionEvent: Sendable, Equatable {
    /// The DTLS handshake completed.
    case connected
    /// The handshake failed or timed out, or the server ended the session; the session is closed.
    case failed(CoAPClientFailure)
    /// `close()` finished: close_notify was sent (if the session was up) and libcoap released it.
    case closed
}
