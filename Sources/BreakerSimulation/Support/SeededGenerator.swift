import FleetDomain
import Foundation

/// A small, fast, seedable generator (the domain's `SplitMix64`), so a simulated fleet replays exactly for a
/// given seed.
///
/// Not for cryptography: it only decides when faults happen and how noisy a reading is.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var core: SplitMix64

    public init(seed: UInt64) {
        core = SplitMix64(seed: seed)
    }

    public mutating func next() -> UInt64 {
        core.next()
    }

    /// A uniform double in `0..<1`.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform double in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }

    /// A normally distributed value (Box–Muller), for measurement noise.
    public mutating func gaussian(mean: Double = 0, deviation: Double) -> Double {
        let u1 = max(unit(), 0x1p-53)
        let u2 = unit()
        return mean + deviation * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// Whether an event of `ratePerHour` happens at least once within `seconds` (Poisson arrivals).
    public mutating func happens(ratePerHour: Double, within seconds: Double) -> Bool {
        guard ratePerHour > 0, seconds > 0 else { return false }
        return unit() < 1 - exp(-ratePerHour * seconds / 3600)
    }

    /// A seed derived from this one and `salt` (a device index), so every device of a fleet gets its own
    /// stream from one fleet seed.
    public static func derive(_ seed: UInt64, _ salt: UInt64) -> UInt64 {
        var generator = SeededGenerator(seed: seed ^ (salt &* 0xD1B5_4A32_D192_ED03))
        return generator.next()
    }
}
