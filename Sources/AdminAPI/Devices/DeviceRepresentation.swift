import FleetDomain
import Foundation

/// A device as the API shows it: `state` is the effective state (presence applied) and `stored_state`
/// what the store holds, so an operator sees "offline" while filters still work on the stored value.
/// Every key is always present (null when unknown), so clients can rely on one shape.
struct DeviceRepresentation: Encodable, Sendable {
    let device: Device
    let now: Date

    init(_ device: Device, at now: Date) {
        self.device = device
        self.now = now
    }

    private enum CodingKeys: String, CodingKey {
        case serial, model, state, firmware, hardware, capabilities, lifetime
        case storedState = "stored_state", heartbeatSeconds = "heartbeat_s", profileID = "profile_id"
        case profileVersion = "profile_version", provisionedAt = "provisioned_at"
        case registeredAt = "registered_at", lastSeen = "last_seen"
    }

    // Written out because synthesized encoding skips nil values instead of writing null.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(device.serial, forKey: .serial)
        try container.encode(device.model, forKey: .model)
        try container.encode(device.effectiveState(at: now), forKey: .state)
        try container.encode(device.state, forKey: .storedState)
        try container.encode(device.firmware, forKey: .firmware)
        try container.encode(device.hardware, forKey: .hardware)
        try container.encode(device.capabilities, forKey: .capabilities)
        try container.encode(device.lifetime, forKey: .lifetime)
        try container.encode(device.heartbeatSeconds, forKey: .heartbeatSeconds)
        try container.encode(device.profileID, forKey: .profileID)
        try container.encode(device.profileVersion, forKey: .profileVersion)
        try container.encode(device.provisionedAt, forKey: .provisionedAt)
        try container.encode(device.registeredAt, forKey: .registeredAt)
        try container.encode(device.lastSeen, forKey: .lastSeen)
    }
}
