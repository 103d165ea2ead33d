import Foundation

/// Where the admin side draws secrets and ids from: the system's cryptographically secure generator
/// (getrandom(2)) in production, a fixed or seeded source in tests, so no handler reaches for entropy
/// by itself.
public struct RandomSource: Sendable {
    /// `count` random bytes.
    public let bytes: @Sendable (_ count: Int) -> [UInt8]

    public init(bytes: @escaping @Sendable (_ count: Int) -> [UInt8]) {
        self.bytes = bytes
    }

    /// The system CSPRNG.
    public static let system = RandomSource { count in
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A random (version 4) UUID, lowercased: the ids of tokens and claim codes.
    public func uuidString() -> String {
        var raw = bytes(16)
        raw[6] = (raw[6] & 0x0F) | 0x40  // version 4
        raw[8] = (raw[8] & 0x3F) | 0x80  // RFC 4122 variant
        let uuid = UUID(uuid: (
            raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
            raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]))
        return uuid.uuidString.lowercased()
    }
}
