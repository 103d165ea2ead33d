import Foundation

/// Keeps one security event per (serial, reason, certificate) a minute: a device stuck in a retry loop
/// leaves one row a minute, not one per handshake. Loop thread only (a value the gateway owns).
public struct SecurityEventThrottle: Sendable {
    private struct Key: Hashable {
        let serial: String?
        let reason: SecurityRefusal
        let certificate: Fingerprint?
    }

    private var lastRecorded: [Key: Date] = [:]
    public let interval: TimeInterval

    public init(interval: TimeInterval = 60) {
        self.interval = interval
    }

    /// True if `event` should be recorded now.
    public mutating func admit(_ event: SecurityEvent) -> Bool {
        let key = Key(serial: event.serial, reason: event.reason, certificate: event.certificateFingerprint)
        if let last = lastRecorded[key], event.at.timeIntervalSince(last) < interval { return false }
        if lastRecorded.count > 50_000 { lastRecorded = lastRecorded.filter { event.at.timeIntervalSince($0.value) < interval } }
        lastRecorded[key] = event.at
        return true
    }
}
