import Foundation
import Synchronization

/// A token bucket per source address: `limit.attempts` at once, refilled evenly over `limit.seconds`.
///
/// For claim-code redemption, which needs no token: every attempt counts, successful or not, so guessing
/// codes from one address costs a minute per `attempts` tries. Buckets that have refilled completely
/// are forgotten, so memory follows the addresses active in the last window, not every address ever seen.
final class AttemptLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    let limit: AdminAPIConfiguration.RateLimit
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Past this many addresses, full buckets are swept before a new one is added.
    private let sweepThreshold: Int

    init(limit: AdminAPIConfiguration.RateLimit, sweepThreshold: Int = 10_000) {
        self.limit = limit
        self.sweepThreshold = sweepThreshold
    }

    private var refillPerSecond: Double { Double(limit.attempts) / limit.seconds }

    /// Takes one attempt for `address` at `now`: nil if allowed, else the whole seconds until the next one is.
    func attempt(from address: String, now: Date) -> Int? {
        buckets.withLock { buckets in
            var bucket = buckets[address].map { refilled($0, at: now) } ?? Bucket(tokens: Double(limit.attempts), updated: now)
            guard bucket.tokens >= 1 else {
                buckets[address] = bucket
                return max(1, Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up)))
            }
            bucket.tokens -= 1
            if buckets[address] == nil, buckets.count >= sweepThreshold { sweep(&buckets, at: now) }
            buckets[address] = bucket
            return nil
        }
    }

    private func refilled(_ bucket: Bucket, at now: Date) -> Bucket {
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        return Bucket(tokens: min(Double(limit.attempts), bucket.tokens + elapsed * refillPerSecond), updated: now)
    }

    private func sweep(_ buckets: inout [String: Bucket], at now: Date) {
        buckets = buckets.filter { refilled($0.value, at: now).tokens < Double(limit.attempts) }
    }

    /// Addresses with a bucket (for tests of the sweep).
    var trackedAddresses: Int { buckets.withLock { $0.count } }
}
