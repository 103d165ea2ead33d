import Foundation

/// A certificate a device may connect with. A device is bound to the certificates the fleet issued it (at
/// provisioning, at an installation re-key, at an EST renewal) or, for a factory device, to the one it
/// first connected with; anything else with its serial in the CN is refused.
public struct BoundCertificate: Sendable, Equatable, Codable {
    public enum Source: String, Sendable, Codable, CaseIterable {
        /// Issued by the fleet CA when the device was provisioned.
        case provisioned
        /// Issued by the fleet CA from the device's CSR at installation.
        case rekeyed
        /// Issued by the fleet CA through EST re-enrollment (`/.well-known/est/sren`).
        case renewed
        /// A certificate the fleet did not issue (a factory certificate, or one from before binding
        /// existed), bound the first time the device connected with it.
        case firstContact = "first_contact"
    }

    /// SHA-256 of the certificate's DER.
    public var fingerprint: Fingerprint
    /// SHA-256 of the DER of the CA certificate that signed it.
    public var issuerFingerprint: Fingerprint
    /// SHA-256 of its SubjectPublicKeyInfo: a renewal must bring a key not seen before.
    public var publicKeyFingerprint: Fingerprint?
    public var notBefore: Date?
    public var notAfter: Date?
    public var boundAt: Date
    /// When a newer certificate replaced it; it is refused once the overlap window after this has passed.
    public var supersededAt: Date?
    public var source: Source

    public init(
        fingerprint: Fingerprint, issuerFingerprint: Fingerprint, publicKeyFingerprint: Fingerprint?,
        notBefore: Date?, notAfter: Date?, boundAt: Date, supersededAt: Date? = nil, source: Source
    ) {
        self.fingerprint = fingerprint
        self.issuerFingerprint = issuerFingerprint
        self.publicKeyFingerprint = publicKeyFingerprint
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.boundAt = boundAt
        self.supersededAt = supersededAt
        self.source = source
    }

    /// Whether it may still be used at `now`: not superseded, or superseded less than `overlap` ago.
    public func isUsable(at now: Date, overlap: TimeInterval) -> Bool {
        guard let supersededAt else { return true }
        return now < supersededAt.addingTimeInterval(overlap)
    }

    enum CodingKeys: String, CodingKey {
        case fingerprint, issuerFingerprint = "issuer_fingerprint", publicKeyFingerprint = "public_key_fingerprint"
        case notBefore = "not_before", notAfter = "not_after", boundAt = "bound_at", supersededAt = "superseded_at"
        case source
    }
}
