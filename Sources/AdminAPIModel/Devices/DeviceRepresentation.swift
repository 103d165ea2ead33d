import FleetDomain
import Foundation

/// A device as the API shows it: `state` is the effective state (presence applied) and `stored_state`
/// what the store holds, so an operator sees "offline" while filters still work on the stored value.
/// Every key is always present (null when unknown), so clients can rely on one shape.
public struct DeviceRepresentation: Codable, Sendable, Equatable {
    public var serial: String
    public var model: String
    public var state: DeviceState
    public var storedState: DeviceState
    public var firmware: String?
    public var hardware: String?
    public var capabilities: [String]
    public var lifetime: Int
    public var heartbeatSeconds: Int
    public var profileID: String?
    public var profileVersion: Int?
    public var provisionedAt: Date?
    public var registeredAt: Date?
    public var lastSeen: Date?

    public init(_ device: Device, at now: Date) {
        serial = device.serial.rawValue
        model = device.model
        state = device.effectiveState(at: now)
        storedState = device.state
        firmware = device.firmware
        hardware = device.hardware
        capabilities = device.capabilities
        lifetime = device.lifetime
        heartbeatSeconds = device.heartbeatSeconds
        profileID = device.profileID
        profileVersion = device.profileVersion
        provisionedAt = device.provisionedAt
        registeredAt = device.registeredAt
        lastSeen = device.lastSeen
    }

    enum CodingKeys: String, CodingKey {
        case serial, model, state, firmware, hardware, capabilities, lifetime
        case storedState = "stored_state", heartbeatSeconds = "heartbeat_s", profileID = "profile_id"
        case profileVersion = "profile_version", provisionedAt = "provisioned_at"
        case registeredAt = "registered_at", lastSeen = "last_seen"
    }

    // Written out because synthesized encoding skips nil values instead of writing null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(serial, forKey: .serial)
        try container.encode(model, forKey: .model)
        try container.encode(state, forKey: .state)
        try container.encode(storedState, forKey: .storedState)
        try container.encode(firmware, forKey: .firmware)
        try container.encode(hardware, forKey: .hardware)
        try container.encode(capabilities, forKey: .capabilities)
        try container.encode(lifetime, forKey: .lifetime)
        try container.encode(heartbeatSeconds, forKey: .heartbeatSeconds)
        try container.encode(profileID, forKey: .profileID)
        try container.encode(profileVersion, forKey: .profileVersion)
        try container.encode(provisionedAt, forKey: .provisionedAt)
        try container.encode(registeredAt, forKey: .registeredAt)
        try container.encode(lastSeen, forKey: .lastSeen)
    }
}
