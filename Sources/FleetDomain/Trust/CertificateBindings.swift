import Foundation

/// The certificates bound to one device, and the rule that decides whether a certificate presented in a
/// DTLS handshake may speak for it. Pure: the gateway runs it at every handshake, from memory.
public struct CertificateBindings: Sendable, Equatable {
    /// How long a replaced certificate keeps working after its successor was bound (spec: 7 days), so a
    /// device that renewed can still fall back while it switches.
    public static let defaultOverlap: TimeInterval = 7 * 86_400

    public enum Decision: Sendable, Equatable {
        case admit
        /// Nothing is bound yet (a factory device's first contact, or a device from before binding existed):
        /// admit, and bind this certificate so that from now on only it (and its successors) may connect.
        case admitAndBind
        case refuse(SecurityRefusal)
    }

    public var certificates: [BoundCertificate]

    public init(_ certificates: [BoundCertificate] = []) {
        self.certificates = certificates
    }

    public var isEmpty: Bool { certificates.isEmpty }

    /// The current certificate (bound last and not superseded), if any.
    public var current: BoundCertificate? {
        certificates.filter { $0.supersededAt == nil }.max { $0.boundAt < $1.boundAt }
    }

    /// Decides a handshake: `certificate` and `issuer` are the fingerprints the transport read from the chain.
    public func decide(certificate: Fingerprint, issuer: Fingerprint, at now: Date, overlap: TimeInterval) -> Decision {
        guard !certificates.isEmpty else { return .admitAndBind }
        if let bound = certificates.first(where: { $0.fingerprint == certificate }) {
            return bound.isUsable(at: now, overlap: overlap) ? .admit : .refuse(.supersededCertificate)
        }
        // Not a certificate the fleet bound: from another CA (a manufacturer minting a fleet serial), or a
        // second certificate from the same CA (a leaked issuing key, a CSR re-key that did not go through us).
        return certificates.contains { $0.issuerFingerprint == issuer }
            ? .refuse(.unboundCertificate) : .refuse(.foreignIssuer)
    }

    /// Binds `certificate` as the current one; every other current certificate is superseded at its
    /// `boundAt` (the overlap window starts now).
    public mutating func bind(_ certificate: BoundCertificate) {
        for index in certificates.indices where certificates[index].supersededAt == nil && certificates[index].fingerprint != certificate.fingerprint {
            certificates[index].supersededAt = certificate.boundAt
        }
        certificates.removeAll { $0.fingerprint == certificate.fingerprint }
        certificates.append(certificate)
    }

    /// Whether a public key was ever bound to this device (a renewal must bring a new one).
    public func hasUsed(publicKey: Fingerprint) -> Bool {
        certificates.contains { $0.publicKeyFingerprint == publicKey }
    }
}
