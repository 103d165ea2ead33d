import FleetDomain
import Foundation
import SwiftASN1
import X509

/// SHA-256 fingerprints, the way the fleet names certificates, CAs and keys (never by CN).
public enum CertificateFingerprints {
    /// SHA-256 of DER bytes (a certificate's: its fingerprint).
    public static func of(_ der: [UInt8]) -> Fingerprint {
        Fingerprint(bytes: DERFingerprint.sha256(der))!
    }

    /// SHA-256 of a public key's SubjectPublicKeyInfo DER: the same bytes OpenSSL's `i2d_X509_PUBKEY` writes,
    /// so the device plane (which reads keys through OpenSSL) and the CA agree on a key's fingerprint.
    public static func of(publicKey: Certificate.PublicKey) throws -> Fingerprint {
        var serializer = DER.Serializer()
        try serializer.serialize(publicKey)
        return of(serializer.serializedBytes)
    }

    /// The binding of a certificate the fleet CA just issued (`issuerDER`: the CA certificate that signed it).
    public static func binding(
        of issued: IssuedCredential, issuerDER: [UInt8], source: BoundCertificate.Source, at now: Date
    ) throws -> BoundCertificate {
        BoundCertificate(
            fingerprint: of(issued.certificateDER), issuerFingerprint: of(issuerDER),
            publicKeyFingerprint: try of(publicKey: issued.certificate.publicKey),
            notBefore: issued.notValidBefore, notAfter: issued.notValidAfter, boundAt: now, source: source)
    }
}
