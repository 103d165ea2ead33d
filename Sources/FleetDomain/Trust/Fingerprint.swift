import Foundation

/// The SHA-256 of a certificate's DER (or of a public key's SubjectPublicKeyInfo): how the fleet names a
/// certificate or a CA. Never a CN: anyone can write any CN into a certificate, but not its fingerprint.
/// Written for people and in JSON as 64 lowercase hex digits.
public struct Fingerprint: Hashable, Sendable, Codable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// 64 hex digits, either case, optionally with `:` between bytes (as `openssl x509 -fingerprint` prints).
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex.filter { $0 != ":" }) else { return nil }
        self.init(bytes: bytes)
    }

    public var hex: String { Hex.encode(bytes) }

    /// The first 8 bytes, for log lines and tables; the full value is in JSON and `--json` output.
    public var short: String { String(hex.prefix(16)) }

    public var description: String { hex }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Fingerprint(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a SHA-256 fingerprint (64 hex digits)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
