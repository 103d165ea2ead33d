import Crypto
import FleetDomain
import Foundation

/// The SHA-256 of a certificate's DER: how the fleet names a CA certificate (trust anchors, issuers, bans),
/// never by its subject CN, which anyone creating a CA may choose. Lowercase hex for people
/// (`openssl x509 -fingerprint -sha256` prints the same digest in uppercase with colons).
public enum DERFingerprint {
    /// SHA-256 of `der`, 32 bytes.
    public static func sha256(_ der: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: der))
    }

    /// Lowercase hex without separators: 64 characters for a SHA-256.
    public static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    /// The hex fingerprint of a certificate's DER.
    public static func sha256Hex(_ der: [UInt8]) -> String { hex(sha256(der)) }

    /// Reads a SHA-256 fingerprint as people paste it: hex in either case, with or without colons
    /// (OpenSSL's `AB:CD:…`) and an optional `sha256:` or `SHA256 Fingerprint=` prefix. Nil unless exactly 32 bytes.
    public static func parse(_ text: String) -> [UInt8]? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        if let equals = rest.lastIndex(of: "=") { rest = rest[rest.index(after: equals)...] }
        if rest.lowercased().hasPrefix("sha256:") { rest = rest.dropFirst("sha256:".count) }
        let digits = rest.filter { $0 != ":" }
        guard digits.count == 64, let bytes = Hex.decode(digits) else { return nil }
        return bytes
    }
}
