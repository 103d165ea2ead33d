import Foundation

/// A request as a resource handler sees it. Handlers run on the loop thread and must return promptly.
public struct CoAPRequest {
    public let method: CoAPMethod
    /// The resource path without a leading slash, e.g. `v1/telemetry`.
    public let path: String
    public let contentFormat: ContentFormat?
    /// The whole body (libcoap reassembles block-wise transfers). Valid only while the handler runs.
    public let payload: UnsafeRawBufferPointer
    /// Who is speaking: set for every DTLS session, nil on the plain development endpoint.
    public let peer: PeerIdentity?
    /// The session the request came in on, for answers that come later (observations, closing).
    public let session: CoAPSessionHandle
    /// The request's Observe option (RFC 7641), if any. On an observable resource the transport keeps the
    /// observation itself; the handler only answers with the current state.
    public let observe: ObserveAction?
    /// True when the transport calls the handler to build a notification rather than for a device's request.
    public let isNotification: Bool
    /// The transport's record of the session, alive while the handler runs.
    let sessionState: SessionState?
    /// The Accept option, read only for resources added with `readsAccept` (it costs a look-up per request).
    public let accept: ContentFormat?

    /// Something the application derived from this session's peer identity (a validated serial, say), kept
    /// with the session so it is derived once per session instead of once per request. Nil until set, and
    /// again whenever the transport rebinds or drops the identity.
    public var derivedIdentity: AnyObject? {
        get { sessionState?.derivedIdentity }
        nonmutating set { sessionState?.derivedIdentity = newValue }
    }

    public var isSecure: Bool { peer != nil }
}

/// The Observe option of a GET (RFC 7641 §2): 0 registers, 1 deregisters.
public enum ObserveAction: Sendable, Equatable {
    case register
    case deregister
}

/// The answer to a request.
public struct CoAPResponse: Sendable {
    public var code: CoAPCode
    public var contentFormat: ContentFormat?
    public var payload: [UInt8]
    /// Seconds; sent with 5.03 so a device backs off.
    public var maxAge: UInt32?
    /// The ETag option (RFC 7252 §5.10.6): names the representation, e.g. a profile's version.
    public var etag: [UInt8]?
    /// For an answer that leaves as a confirmable notification: called on the loop thread once it is known
    /// whether the device acknowledged it (true) or not (false: it reset it, never acknowledged it, or its
    /// session ended first). Not called for answers to requests (a piggy-backed answer needs no proof).
    public var acknowledged: (@Sendable (CoAPSessionHandle, Bool) -> Void)?

    public init(_ code: CoAPCode, contentFormat: ContentFormat? = nil, payload: [UInt8] = [], maxAge: UInt32? = nil,
                etag: [UInt8]? = nil) {
        self.code = code
        self.contentFormat = contentFormat
        self.payload = payload
        self.maxAge = maxAge
        self.etag = etag
    }

    /// An ETag of a number, as its shortest big-endian bytes (at least one).
    public static func etag(_ number: Int) -> [UInt8] {
        var value = UInt64(truncatingIfNeeded: number)
        var bytes: [UInt8] = []
        repeat {
            bytes.insert(UInt8(value & 0xFF), at: 0)
            value >>= 8
        } while value != 0
        return bytes
    }

    /// An error with its RFC 7252 §5.5.2 diagnostic payload (UTF-8 text, no Content-Format).
    public static func error(_ code: CoAPCode, _ diagnostic: String, maxAge: UInt32? = nil) -> CoAPResponse {
        CoAPResponse(code, payload: Array(diagnostic.utf8), maxAge: maxAge)
    }
}

/// Handles one request on the loop thread.
public typealias CoAPHandler = (CoAPRequest) -> CoAPResponse

/// The identity a peer proved in its DTLS handshake, bound to its session by the transport.
public struct PeerIdentity: Sendable, Hashable {
    public enum Credential: Sendable, Hashable {
        /// An X.509 certificate chaining to the trust anchor `anchorFingerprint`.
        case certificate
        /// A pre-shared key looked up by the PSK identity (`commonName`); no certificate, no fingerprints.
        case presharedKey
    }

    /// The subject CN of the peer's own certificate (never a SAN), or its PSK identity.
    public let commonName: String
    /// The subject CN of the trust anchor that vouched for it (for people; decisions use fingerprints).
    public let anchorCommonName: String
    public let credential: Credential
    /// SHA-256 of the peer's own certificate (DER): which certificate, not only which name.
    public let certificateFingerprint: [UInt8]
    /// SHA-256 of the certificate that signed the peer's (the chain's depth 1).
    public let issuerFingerprint: [UInt8]
    /// SHA-256 of the trust anchor at the top of the verified chain (the issuer itself for a two-level chain).
    public let anchorFingerprint: [UInt8]
    /// SHA-256 of the peer certificate's SubjectPublicKeyInfo: which key it holds.
    public let publicKeyFingerprint: [UInt8]
    /// The peer certificate's validity (nil for PSK).
    public let notBefore: Date?
    public let notAfter: Date?

    public init(
        commonName: String, anchorCommonName: String, credential: Credential = .certificate,
        certificateFingerprint: [UInt8] = [], issuerFingerprint: [UInt8] = [], anchorFingerprint: [UInt8] = [],
        publicKeyFingerprint: [UInt8] = [], notBefore: Date? = nil, notAfter: Date? = nil
    ) {
        self.publicKeyFingerprint = publicKeyFingerprint
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.commonName = commonName
        self.anchorCommonName = anchorCommonName
        self.credential = credential
        self.certificateFingerprint = certificateFingerprint
        self.issuerFingerprint = issuerFingerprint
        self.anchorFingerprint = anchorFingerprint
    }
}

/// Names a session for answers that come later (observations, closing). A number the transport gives each
/// session once and never reuses: the loop looks it up, so a handle that outlived its session finds
/// nothing rather than a freed pointer or a newer session that got the same address.
public struct CoAPSessionHandle: Hashable, Sendable, CustomStringConvertible {
    let number: UInt64

    public var description: String { "session#\(number)" }
}
