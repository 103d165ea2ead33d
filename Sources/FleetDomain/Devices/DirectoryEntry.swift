/// What the device plane must know about a device to answer its requests without asking the store.
public struct DirectoryEntry: Sendable, Equatable {
    public var model: String
    public var state: DeviceState
    public var heartbeatSeconds: Int
    /// The firmware the device should run (nil until a firmware campaign targets it), not the one it reports.
    public var targetFirmwareVersion: String?

    public init(model: String, state: DeviceState, heartbeatSeconds: Int = Registration.defaultHeartbeat,
                targetFirmwareVersion: String? = nil) {
        self.model = model
        self.state = state
        self.heartbeatSeconds = heartbeatSeconds
        self.targetFirmwareVersion = targetFirmwareVersion
    }

    public init(_ device: Device) {
        self.init(model: device.model, state: device.state, heartbeatSeconds: device.heartbeatSeconds)
    }
}
