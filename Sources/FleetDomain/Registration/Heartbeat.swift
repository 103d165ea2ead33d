import Foundation

/// `POST /v1/heartbeat`: a quiet device says it is alive (empty body, or `{"uptime_s","rssi"?}`).
public struct HeartbeatReport: Sendable, Equatable {
    /// Seconds since the device started; nil for an empty heartbeat.
    public var uptimeSeconds: Int64?
    /// Received signal strength, dBm.
    public var rssi: Int?

    public init(uptimeSeconds: Int64? = nil, rssi: Int? = nil) {
        self.uptimeSeconds = uptimeSeconds
        self.rssi = rssi
    }
}

/// A heartbeat as journaled: it counts as contact (`last_seen`) like any other message.
public struct HeartbeatRecord: Sendable, Equatable {
    public var serial: Serial
    public var report: HeartbeatReport
    public var receivedAt: Date

    public init(serial: Serial, report: HeartbeatReport, receivedAt: Date) {
        self.serial = serial
        self.report = report
        self.receivedAt = receivedAt
    }
}
