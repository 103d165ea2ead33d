import Crypto
import Foundation
import X509

/// The two-level fleet PKI: a root (pathLen 1, kept offline) signs issuing CAs (pathLen 0, online, shorter
/// lived), which sign the server and device certificates.
extension CertificateAuthority {
    /// Default lifetimes: the root outlives several issuing CAs; a device certificate never outlives its issuer.
    public static let rootLifetime: TimeInterval = 20 * year
    public static let issuerLifetime: TimeInterval = 5 * year

    /// A new issuing CA under this root: fresh P-256 key, pathLen 0, keyCertSign, valid from `now` for
    /// `validFor` (clamped to the root's own expiry).
    public func issueSubordinateAuthority(
        commonName: String,
        organization: String = "BreakerFleet",
        validFor: TimeInterval = CertificateAuthority.issuerLifetime,
        now: Date = Date()
    ) throws -> CertificateAuthority {
        try CertificateProfile.validateCommonName(commonName)
        try CertificateProfile.validateCommonName(organization)
        guard certificate.notValidAfter > now else {
            throw PKIError(.authorityExpired, "CA \(self.commonName) expired at \(certificate.notValidAfter)")
        }
        guard case .isCertificateAuthority(let pathLength) = try certificate.extensions.basicConstraints,
              pathLength.map({ $0 >= 1 }) ?? true else {
            throw PKIError(.notACertificateAuthority, "CA \(self.commonName) has pathLen 0: it cannot sign another CA")
        }
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subordinate = try Certificate(
            version: .v3,
            serialNumber: CertificateProfile.randomSerialNumber(),
            publicKey: publicKey,
            notValidBefore: now - CertificateAuthority.clockSkewAllowance,
            notValidAfter: min(now + validFor, certificate.notValidAfter),
            issuer: certificate.subject,
            subject: try DistinguishedName {
                OrganizationName(organization)
                CommonName(commonName)
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try CertificateProfile.authorityExtensions(
                publicKey: publicKey, maxPathLength: 0, issuerKeyID: keyIdentifier),
            issuerPrivateKey: Certificate.PrivateKey(signingKey)
        )
        return try CertificateAuthority(certificate: subordinate, signingKey: key)
    }

    /// The same CA (same key, same subject, so the same key identifier) in a new self-signed certificate
    /// with pathLen 1, valid from `now` for `validFor` or until this one's expiry, whichever is later.
    /// This is how a single-level fleet CA becomes the root of a two-level PKI (`ca migrate`): every
    /// certificate it signed verifies against the new root certificate as it did against the old one.
    public func reissuedAsRoot(validFor: TimeInterval = CertificateAuthority.rootLifetime, now: Date = Date()) throws -> CertificateAuthority {
        try Self.selfSigned(
            name: certificate.subject, key: signingKey, maxPathLength: 1,
            notValidBefore: min(certificate.notValidBefore, now - CertificateAuthority.clockSkewAllowance),
            notValidAfter: max(certificate.notValidAfter, now + validFor))
    }

    /// Whether this CA signed `certificate` (signature and issuer name; validity not checked).
    func didIssue(_ other: Certificate) -> Bool {
        CertificateInspector.isIssued(other, by: certificate)
    }
}
