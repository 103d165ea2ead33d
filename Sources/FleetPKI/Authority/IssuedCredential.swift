import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate the fleet CA issued, plus its private key when the CA generated that key.
///
/// Private key encodings (both ECDSA P-256):
/// - `privateKeyPEM` is PKCS#8 (a `PRIVATE KEY` PEM block), what `coap-client -j` and OpenSSL's
///   PEM readers expect.
/// - `privateKeyDER` is the same PKCS#8 `PrivateKeyInfo` in DER (the PEM body). OpenSSL 3's
///   `d2i_PrivateKey(EVP_PKEY_EC, …)` and so `SSL_use_PrivateKey_ASN1` / libcoap's
///   `COAP_PKI_KEY_ASN1` accept it: they try the SEC1 "type-specific" form first and fall back to
///   PKCS#8. The FleetPKI tests call those OpenSSL functions directly to keep this claim honest.
///
/// When the certificate was issued from a CSR the device keeps its key, so `privateKeyPEM` is ""
/// and `privateKeyDER` is [] (`hasPrivateKey == false`). Empty rather than optional so the common
/// case (server and generated device credentials) needs no unwrapping.
public struct IssuedCredential: Sendable {
    public let certificatePEM: String
    public let certificateDER: [UInt8]
    public let privateKeyPEM: String
    public let privateKeyDER: [UInt8]
    public let serialNumberHex: String
    public let notValidBefore: Date
    public let notValidAfter: Date
    /// Subject CN (the device serial for device certificates).
    public let commonName: String
    /// The parsed certificate, for callers that want to inspect extensions with X509.
    public let certificate: Certificate

    public var hasPrivateKey: Bool { !privateKeyDER.isEmpty }

    init(certificate: Certificate, privateKey: P256.Signing.PrivateKey?) throws {
        self.certificate = certificate
        certificateDER = try CertificateInspector.derBytes(of: certificate)
        certificatePEM = PEM.encode(certificateDER, type: "CERTIFICATE")
        privateKeyDER = privateKey.map { Array($0.derRepresentation) } ?? []
        privateKeyPEM = privateKey.map { PEM.encode(Array($0.derRepresentation), type: "PRIVATE KEY") } ?? ""
        serialNumberHex = CertificateInspector.hex(certificate.serialNumber)
        notValidBefore = certificate.notValidBefore
        notValidAfter = certificate.notValidAfter
        commonName = CertificateInspector.commonName(of: certificate.subject) ?? ""
    }

    /// Re-reads a credential from PEM (e.g. `server.crt` + `server.key`). The key may be PKCS#8 or
    /// SEC1 ("EC PRIVATE KEY"); it is normalised to PKCS#8 and must match the certificate.
    public init(certificatePEM: String, privateKeyPEM: String?) throws {
        let certificate = try CertificateInspector.parse(pem: certificatePEM)
        var key: P256.Signing.PrivateKey?
        if let privateKeyPEM {
            let parsed = try Self.parseP256PrivateKey(pem: privateKeyPEM)
            guard Certificate.PublicKey(parsed.publicKey) == certificate.publicKey else {
                throw PKIError(.keyMismatch, "private key does not match the certificate's public key")
            }
            key = parsed
        }
        try self.init(certificate: certificate, privateKey: key)
    }

    /// Writes the certificate (mode 0644) and, if present, the key (mode 0600, never readable by
    /// others even briefly) as PEM files, replacing existing files atomically.
    public func writePEM(certificateTo certificateURL: URL, privateKeyTo keyURL: URL?) throws {
        if let keyURL {
            guard hasPrivateKey else {
                throw PKIError(.invalidPrivateKey, "credential for \(commonName) has no private key (issued from a CSR)")
            }
            try SecureFile.write(Array(privateKeyPEM.utf8), to: keyURL, mode: SecureFile.privateMode)
        }
        try SecureFile.write(Array(certificatePEM.utf8), to: certificateURL, mode: SecureFile.publicMode)
    }

    /// Parses a PKCS#8 or SEC1 PEM private key and insists on P-256.
    static func parseP256PrivateKey(pem: String) throws -> P256.Signing.PrivateKey {
        // SwiftASN1's PEM reader tolerates text around the block (OpenSSL tools print some);
        // Crypto's own PEM initialisers do not, so parse once here and hand over DER.
        let document: PEMDocument
        let generic: Certificate.PrivateKey
        do {
            document = try PEMDocument(pemString: pem)
            generic = try Certificate.PrivateKey(pemDocument: document)
        } catch {
            throw PKIError(.invalidPrivateKey, "not a PEM private key: \(error)")
        }
        // X509 checks the algorithm OID (Crypto's P256 parser alone would not).
        guard P256.Signing.PublicKey(generic.publicKey) != nil else {
            throw PKIError(.unsupportedKeyType, "private key is not ECDSA P-256")
        }
        do {
            // Accepts both PKCS#8 PrivateKeyInfo and SEC1 ECPrivateKey DER.
            return try P256.Signing.PrivateKey(derRepresentation: document.derBytes)
        } catch {
            throw PKIError(.invalidPrivateKey, "cannot read P-256 private key: \(error)")
        }
    }
}
