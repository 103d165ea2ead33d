import Crypto
import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The extension sets and naming rules for the three kinds of certificate the fleet issues.
///
/// Kept in one place so the CA, server and device profiles can be compared side by side, and so
/// "what does a device certificate look like" has exactly one answer.
enum CertificateProfile {
    /// RFC 5280 §4.1.2.2: at most 20 octets, positive. `SerialNumber()` draws 20 random bytes but
    /// prepends 0x00 when the top bit is set (21 octets), so we draw the bytes ourselves: clear the
    /// top bit to keep it positive and set the next one so no leading zero byte gets stripped.
    static func randomSerialNumber() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }

    /// A CA certificate's extensions. pathLen 0 for a CA that signs leaves only (an issuing CA, a manufacturer
    /// CA, a single-level fleet CA), 1 for the fleet root that signs issuing CAs. `issuerKeyID` is nil for a
    /// self-signed certificate (its AKI is then its own key id).
    static func authorityExtensions(
        publicKey: Certificate.PublicKey, maxPathLength: Int = 0, issuerKeyID: ArraySlice<UInt8>? = nil
    ) throws -> Certificate.Extensions {
        let keyID = SubjectKeyIdentifier(hash: publicKey)
        return try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: maxPathLength))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
            keyID
            // OpenSSL's -x509_strict wants an AKI even on the self-signed root.
            AuthorityKeyIdentifier(keyIdentifier: issuerKeyID ?? keyID.keyIdentifier)
        }
    }

    static func leafExtensions(
        publicKey: Certificate.PublicKey,
        issuerKeyID: ArraySlice<UInt8>,
        usages: [ExtendedKeyUsage.Usage],
        subjectAlternativeNames: [GeneralName]
    ) throws -> Certificate.Extensions {
        var extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            // ECDHE-ECDSA handshakes only need signatures; no keyAgreement/keyEncipherment on purpose.
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage(usages)
            SubjectKeyIdentifier(hash: publicKey)
            AuthorityKeyIdentifier(keyIdentifier: issuerKeyID)
        }
        if !subjectAlternativeNames.isEmpty {
            try extensions.append(SubjectAlternativeNames(subjectAlternativeNames).makeCertificateExtension())
        }
        return extensions
    }

    /// Subject names are free text for the CA and server, but must be non-empty and free of control
    /// characters (they end up in logs and in OpenSSL's one-line name rendering).
    static func validateCommonName(_ name: String) throws {
        guard !name.isEmpty, name.count <= 64,
            name.unicodeScalars.allSatisfy({ !CharacterSet.controlCharacters.contains($0) })
        else {
            throw PKIError(.invalidName, "common name \(String(reflecting: name)) must be 1-64 printable characters")
        }
    }

    /// Turns "127.0.0.1", "::1" or "breaker.example" into the matching SAN entry.
    static func generalName(for name: String) throws -> GeneralName {
        if let address = ipAddressBytes(name) {
            return .ipAddress(ASN1OctetString(contentBytes: address[...]))
        }
        return .dnsName(try validatedDNSName(name))
    }

    static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// The text form of 4 or 16 address bytes (the inverse of `ipAddressBytes`).
    static func ipAddressText(_ bytes: [UInt8]) -> String? {
        let family = bytes.count == 4 ? AF_INET : bytes.count == 16 ? AF_INET6 : -1
        guard family != -1 else { return nil }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family, bytes, &text, socklen_t(text.count)) != nil else { return nil }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func validatedDNSName(_ name: String) throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.*")
        guard !name.isEmpty, name.count <= 253, name.allSatisfy(allowed.contains),
            !name.hasPrefix("."), !name.contains("..")
        else {
            throw PKIError(.invalidName, "\(String(reflecting: name)) is neither an IP address nor a DNS name")
        }
        return name
    }
}
