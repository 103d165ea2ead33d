import Foundation

/// Why the device plane refused a peer: each is recorded as a security event and counted by reason.
public enum SecurityRefusal: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// A certificate for a bound serial from a CA that never issued one of its bound certificates.
    case foreignIssuer = "foreign_issuer"
    /// A certificate from the right CA, but not one bound to the device.
    case unboundCertificate = "unbound_certificate"
    /// A certificate replaced by a re-key or renewal, used after the overlap window.
    case supersededCertificate = "superseded_certificate"
    /// A certificate chaining to a banned CA.
    case bannedAuthority = "banned_ca"
    /// A device of a banned model.
    case bannedModel = "banned_model"
    /// A revoked or decommissioned device.
    case barredDevice = "barred_device"
    /// A CN that is not a serial, or an anchor the fleet does not know.
    case unknownIdentity = "unknown_identity"
    /// An EST re-enrollment refused (wrong CN, reused key, bad CSR).
    case renewalRefused = "renewal_refused"

    public var description: String {
        switch self {
        case .foreignIssuer: "certificate from a CA that did not issue this device's certificates"
        case .unboundCertificate: "certificate not bound to this device"
        case .supersededCertificate: "certificate replaced by a newer one and past the overlap window"
        case .bannedAuthority: "certificate from a banned CA"
        case .bannedModel: "device of a banned model"
        case .barredDevice: "device revoked or decommissioned"
        case .unknownIdentity: "CN is not a serial or the anchor is unknown"
        case .renewalRefused: "certificate renewal refused"
        }
    }
}

/// A refusal, as recorded for operators (`breakerfleet security events`).
public struct SecurityEvent: Sendable, Equatable, Codable {
    public var at: Date
    /// The serial the peer claimed (its CN), when it was one.
    public var serial: String?
    public var reason: SecurityRefusal
    public var detail: String
    public var certificateFingerprint: Fingerprint?
    public var issuerFingerprint: Fingerprint?

    public init(
        at: Date, serial: String?, reason: SecurityRefusal, detail: String,
        certificateFingerprint: Fingerprint? = nil, issuerFingerprint: Fingerprint? = nil
    ) {
        self.at = at
        self.serial = serial
        self.reason = reason
        self.detail = detail
        self.certificateFingerprint = certificateFingerprint
        self.issuerFingerprint = issuerFingerprint
    }

    enum CodingKeys: String, CodingKey {
        case at, serial, reason, detail
        case certificateFingerprint = "certificate_fingerprint", issuerFingerprint = "issuer_fingerprint"
    }
}

/// Where bound certificates live.
public protocol CertificateBindingStore: Sendable {
    /// Every device's bound certificates (the gateway's warm-up).
    func allCertificateBindings() async throws -> [Serial: CertificateBindings]
    func certificateBindings(of serial: Serial) async throws -> CertificateBindings
    /// Binds `certificate` as the device's current one and supersedes the others at its `boundAt`, in one
    /// transaction.
    func bind(_ certificate: BoundCertificate, to serial: Serial) async throws
    /// Current (not superseded) certificates that end before `date`, soonest first: what needs renewal.
    func currentCertificates(expiringBefore date: Date) async throws -> [(serial: Serial, certificate: BoundCertificate)]
}

/// Where security events live.
public protocol SecurityEventStore: Sendable {
    func record(_ events: [SecurityEvent]) async throws
    /// Newest first.
    func securityEvents(serial: String?, since: Date?, limit: Int) async throws -> [SecurityEvent]
}
