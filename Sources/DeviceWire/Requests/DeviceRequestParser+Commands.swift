import FleetDomain

extension DeviceRequestParser {
    /// Bounds of `POST /v1/commands/{id}` and `POST /v1/heartbeat`.
    public enum CommandLimits {
        public static let reason = 1...256
        /// Seconds: up to ~34 000 years of uptime, far past any device.
        public static let uptime: ClosedRange<Int64> = 0...(1 << 40)
        /// dBm.
        public static let rssi = -200...0
    }

    /// The body of `POST /v1/commands/{id}`: `{"result","breaker","reason"?}`, `result` one of `done`,
    /// `failed`, `rejected`, `breaker` `open` or `closed`, `reason` 1–256 bytes if present.
    public static func commandResult(_ body: [UInt8]) throws(DeviceAPIError) -> CommandReport {
        let fields = try JSONFields(body: body)
        let outcome = try fields.choice("result", CommandReport.Outcome.self)
        let breaker = try fields.choice("breaker", CommandReport.BreakerPosition.self)
        let reason = try fields.optionalString("reason", bytes: CommandLimits.reason)
        return CommandReport(outcome, breaker: breaker, reason: reason)
    }

    /// The body of `POST /v1/heartbeat`: empty, or `{"uptime_s","rssi"?}` (whole seconds, dBm).
    public static func heartbeat(_ body: [UInt8]) throws(DeviceAPIError) -> HeartbeatReport {
        guard !body.isEmpty else { return HeartbeatReport() }
        let fields = try JSONFields(body: body)
        let uptime = try fields.integer("uptime_s", in: CommandLimits.uptime)
        let rssi = try fields.optionalInteger("rssi", in: CommandLimits.rssi)
        return HeartbeatReport(uptimeSeconds: uptime, rssi: rssi)
    }
}
