import Foundation
import Synchronization

/// Where random bytes come from (keys, identifiers), handed to whatever needs them instead of drawn from
/// the system generator, so a test can make them repeatable.
public protocol RandomSource: Sendable {
    /// `count` random bytes.
    func bytes(_ count: Int) -> [UInt8]
}

extension RandomSource {
    /// A random (version 4, RFC 9562) UUID made of 16 bytes of this source.
    public func uuid() -> UUID {
        var b = bytes(16)
        b[6] = b[6] & 0x0F | 0x40
        b[8] = b[8] & 0x3F | 0x80
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }

    /// A random UUID as lowercase text: the identifiers the fleet records (installations, for example).
    public func identifier() -> String {
        uuid().uuidString.lowercased()
    }
}

/// The operating system's cryptographically secure generator: the one a running server uses.
public struct SystemRandomSource: RandomSource {
    public init() {}

    public func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return generator.bytes(count)
    }
}

/// The same bytes for the same seed, every time: for tests. Not for keys anyone relies on.
public final class SeededRandomSource: RandomSource {
    private let generator: Mutex<SplitMix64>

    public init(seed: UInt64) {
        generator = Mutex(SplitMix64(seed: seed))
    }

    public func bytes(_ count: Int) -> [UInt8] {
        generator.withLock { $0.bytes(count) }
    }
}

extension RandomNumberGenerator {
    /// `count` bytes, eight from each 64-bit draw.
    mutating func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            var word = next()
            for _ in 0..<min(8, count - out.count) {
                out.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return out
    }
}

/// A small, fast, seedable generator (SplitMix64): repeatable streams for tests and simulations.
/// Not for cryptography.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
