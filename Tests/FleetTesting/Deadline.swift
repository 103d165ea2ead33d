import Foundation

/// Waits for a condition with a deadline instead of sleeping and hoping.
public enum Deadline {
    public struct Expired: Error, CustomStringConvertible {
        public let description: String
    }

    /// Polls `condition` every `interval` until it holds; throws once `timeout` has passed.
    public static func wait(
        _ what: String, timeout: TimeInterval = 30, interval: TimeInterval = 0.05,
        until condition: () async throws -> Bool
    ) async throws {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if (try? await condition()) == true { return }
            try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
        }
        throw Expired(description: "timed out after \(timeout) s waiting for \(what)")
    }
}
