import Foundation
import SwiftASN1
import X509

/// Read-only questions about certificates that the server side needs without knowing X509 types
/// (e.g. "which manufacturer CA is this?" for `CertificateOrigin.manufacturer`).
public enum CertificateInspector {
    /// The first subject CN of a DER certificate, or nil if it has none (or it is not a string type).
    public static func subjectCommonName(ofCertificateDER der: [UInt8]) throws -> String? {
        commonName(of: try parse(der: der).subject)
    }

    /// Uppercase hex of a certificate's serial number, as `openssl x509 -serial` prints it.
    public static func serialNumberHex(ofCertificateDER der: [UInt8]) throws -> String {
        hex(try parse(der: der).serialNumber)
    }

    /// The SHA-256 fingerprint of a DER certificate, lowercase hex (see `Fingerprint`).
    public static func fingerprintHex(ofCertificateDER der: [UInt8]) -> String {
        DERFingerprint.sha256Hex(der)
    }

    /// The subject CN and the fingerprint of the one certificate in a PEM file's text (e.g. for `ban ca --file`).
    public static func authorityIdentity(pem: String) throws -> (commonName: String, fingerprint: [UInt8]) {
        let certificate = try parse(pem: pem)
        return (commonName(of: certificate.subject) ?? "", DERFingerprint.sha256(try derBytes(of: certificate)))
    }

    // MARK: - internal helpers shared by the rest of the module

    /// DNS names and IP addresses (as text) of a certificate's SAN, in order.
    static func subjectAlternativeNames(of certificate: Certificate) throws -> [String] {
        guard let names = try certificate.extensions.subjectAlternativeNames else { return [] }
        return names.compactMap { name in
            switch name {
            case .dnsName(let dns): return dns
            case .ipAddress(let octets): return CertificateProfile.ipAddressText(Array(octets.bytes))
            default: return nil
            }
        }
    }

    static func parse(der: [UInt8]) throws -> Certificate {
        do {
            return try Certificate(derEncoded: der)
        } catch {
            throw PKIError(.invalidCertificate, "not a DER X.509 certificate: \(error)")
        }
    }

    static func parse(pem: String) throws -> Certificate {
        let document: PEMDocument
        do {
            document = try PEMDocument(pemString: pem)
        } catch {
            throw PKIError(.invalidCertificate, "not a single PEM certificate: \(error)")
        }
        guard document.discriminator == "CERTIFICATE" else {
            throw PKIError(.invalidCertificate, "expected PEM CERTIFICATE but found \(document.discriminator)")
        }
        return try parse(der: document.derBytes)
    }

    static func commonName(of name: DistinguishedName) -> String? {
        for rdn in name {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return String(attribute.value)
            }
        }
        return nil
    }

    static func hex(_ serial: Certificate.SerialNumber) -> String {
        serial.bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    static func derBytes(of certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    /// True when `issuer`'s key produced `certificate`'s signature and the names chain up.
    static func isIssued(_ certificate: Certificate, by issuer: Certificate) -> Bool {
        certificate.issuer == issuer.subject
            && issuer.publicKey.isValidSignature(certificate.signature, for: certificate)
    }
}
