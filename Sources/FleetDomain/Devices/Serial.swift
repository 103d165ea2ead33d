/// A device's serial number: the subject CN of its certificate and its only identity.
///
/// The device API contract fixes the alphabet (`[A-Z0-9-]{4,32}`), so a serial is validated once,
/// where it enters (certificate, CLI, HTTP path), and is trusted everywhere after that.
public struct Serial: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ text: String) {
        guard Serial.isValid(text) else { return nil }
        rawValue = text
    }

    public static func isValid(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard (4...32).contains(utf8.count) else { return false }
        return utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-")
        }
    }

    public static let rule = "[A-Z0-9-]{4,32}"

    public var description: String { rawValue }

    public static func < (lhs: Serial, rhs: Serial) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let serial = Serial(text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "serial \(text) does not match \(Serial.rule)"))
        }
        self = serial
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
