import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate authority with its key: the fleet root (offline, signs issuing CAs), the fleet's issuing
/// CA (online, signs the server certificate and every device's operational certificate), a single-level
/// fleet CA from before issue 10 (both at once), or a development manufacturer CA. All ECDSA P-256.
///
/// A value type holding the parsed certificate and key; it is cheap to copy and safe to share
/// across tasks. Issuing lives in `CertificateAuthority+Issuing.swift`.
public struct CertificateAuthority: Sendable {
    public let certificate: Certificate
    let signingKey: P256.Signing.PrivateKey
    /// Cached so every issued certificate carries the same AuthorityKeyIdentifier.
    let keyIdentifier: ArraySlice<UInt8>

    /// Devices and servers disagree about the time by minutes (no RTC, NTP not yet synced after
    /// boot); backdating notBefore by this much keeps a fresh certificate from being "not yet valid".
    public static let clockSkewAllowance: TimeInterval = 5 * 60

    /// A Julian year, the unit of the default lifetimes (CA 10, server 2, device 10).
    public static let year: TimeInterval = 365.25 * 24 * 3600

    /// Generates a new CA key and self-signed root certificate, valid from `now` (less the clock skew
    /// allowance) for `validFor`. `maxPathLength` 0 makes a CA that signs leaves only (a manufacturer CA, a
    /// single-level fleet CA); the fleet root is created with 1, so it can sign issuing CAs.
    public static func create(
        commonName: String,
        organization: String = "BreakerFleet",
        validFor: TimeInterval = 10 * CertificateAuthority.year,
        maxPathLength: Int = 0,
        now: Date = Date()
    ) throws -> CertificateAuthority {
        try CertificateProfile.validateCommonName(commonName)
        try CertificateProfile.validateCommonName(organization)
        guard validFor > 0 else { throw PKIError(.invalidValidity, "validFor must be positive") }
        let name = try DistinguishedName {
            OrganizationName(organization)
            CommonName(commonName)
        }
        return try selfSigned(
            name: name, key: P256.Signing.PrivateKey(), maxPathLength: maxPathLength,
            notValidBefore: now - CertificateAuthority.clockSkewAllowance, notValidAfter: now + validFor)
    }

    static func selfSigned(
        name: DistinguishedName, key: P256.Signing.PrivateKey, maxPathLength: Int,
        notValidBefore: Date, notValidAfter: Date
    ) throws -> CertificateAuthority {
        let publicKey = Certificate.PublicKey(key.publicKey)
        let certificate = try Certificate(
            version: .v3,
            serialNumber: CertificateProfile.randomSerialNumber(),
            publicKey: publicKey,
            notValidBefore: notValidBefore,
            notValidAfter: notValidAfter,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try CertificateProfile.authorityExtensions(publicKey: publicKey, maxPathLength: maxPathLength),
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        return try CertificateAuthority(certificate: certificate, signingKey: key)
    }

    /// Loads an existing CA (e.g. `fleet-ca.crt` + `fleet-ca.key`). Refuses certificates that are
    /// not CAs, keys that are not P-256, and keys that do not match the certificate, so a
    /// mixed-up file pair fails here instead of producing unverifiable certificates later.
    public init(certificatePEM: String, privateKeyPEM: String) throws {
        let certificate = try CertificateInspector.parse(pem: certificatePEM)
        let key = try IssuedCredential.parseP256PrivateKey(pem: privateKeyPEM)
        try self.init(certificate: certificate, signingKey: key)
    }

    init(certificate: Certificate, signingKey: P256.Signing.PrivateKey) throws {
        guard case .isCertificateAuthority = try certificate.extensions.basicConstraints else {
            throw PKIError(.notACertificateAuthority, "certificate \(certificate.subject) is not a CA (basicConstraints)")
        }
        if let usage = try certificate.extensions.keyUsage, !usage.keyCertSign {
            throw PKIError(.notACertificateAuthority, "certificate \(certificate.subject) lacks keyUsage keyCertSign")
        }
        guard Certificate.PublicKey(signingKey.publicKey) == certificate.publicKey else {
            throw PKIError(.keyMismatch, "CA private key does not match the CA certificate")
        }
        self.certificate = certificate
        self.signingKey = signingKey
        keyIdentifier = try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
    }

    public var certificateDER: [UInt8] {
        // Serializing a parsed certificate cannot fail: it re-emits the bytes it was parsed from.
        (try? CertificateInspector.derBytes(of: certificate)) ?? []
    }

    public var certificatePEM: String { PEM.encode(certificateDER, type: "CERTIFICATE") }

    /// PKCS#8 PEM of the CA key. Handle with care: whoever holds it can mint device identities.
    public var privateKeyPEM: String { PEM.encode(Array(signingKey.derRepresentation), type: "PRIVATE KEY") }

    public var commonName: String { CertificateInspector.commonName(of: certificate.subject) ?? "" }

    public var serialNumberHex: String { CertificateInspector.hex(certificate.serialNumber) }

    public var notValidAfter: Date { certificate.notValidAfter }

    /// SHA-256 of the certificate's DER: how the fleet names this CA (see `Fingerprint`).
    public var fingerprint: [UInt8] { DERFingerprint.sha256(certificateDER) }

    /// True if the certificate is self-signed (a root).
    public var isSelfSigned: Bool { CertificateInspector.isIssued(certificate, by: certificate) }

    /// True if this CA signed `certificateDER` (signature and issuer name; validity not checked).
    public func didIssue(certificateDER: [UInt8]) -> Bool {
        guard let leaf = try? Certificate(derEncoded: certificateDER) else { return false }
        return CertificateInspector.isIssued(leaf, by: certificate)
    }
}
