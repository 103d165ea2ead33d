import Foundation

/// A breaker or detector as the fleet knows it.
public struct Device: Sendable, Codable, Equatable {
    public var serial: Serial
    public var model: String
    /// The stored state; use `effectiveState(at:)` for what operators should see.
    public var state: DeviceState
    public var firmware: String?
    public var hardware: String?
    public var capabilities: [String]
    /// Seconds the registration holds without contact (spec default 86 400).
    public var lifetime: Int
    public var heartbeatSeconds: Int
    public var profileID: String?
    public var profileVersion: Int?
    public var provisionedAt: Date?
    public var registeredAt: Date?
    public var lastSeen: Date?

    public init(
        serial: Serial, model: String, state: DeviceState, firmware: String? = nil, hardware: String? = nil,
        capabilities: [String] = [], lifetime: Int = Registration.defaultLifetime,
        heartbeatSeconds: Int = Registration.defaultHeartbeat, profileID: String? = nil,
        profileVersion: Int? = nil, provisionedAt: Date? = nil, registeredAt: Date? = nil, lastSeen: Date? = nil
    ) {
        self.serial = serial
        self.model = model
        self.state = state
        self.firmware = firmware
        self.hardware = hardware
        self.capabilities = capabilities
        self.lifetime = lifetime
        self.heartbeatSeconds = heartbeatSeconds
        self.profileID = profileID
        self.profileVersion = profileVersion
        self.provisionedAt = provisionedAt
        self.registeredAt = registeredAt
        self.lastSeen = lastSeen
    }

    /// The state an operator should see at `now`: stored state, unless presence says the device went quiet.
    public func effectiveState(at now: Date) -> DeviceState {
        guard state == .active || state == .unassigned, let lastSeen else { return state }
        let silence = now.timeIntervalSince(lastSeen)
        if silence > Double(lifetime) { return .expired }
        if silence > Double(3 * heartbeatSeconds) { return .offline }
        return state
    }
}
