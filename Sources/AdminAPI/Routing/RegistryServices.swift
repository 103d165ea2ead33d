import FleetDomain
import FleetServices

/// The domain services and device-plane hooks behind the registry endpoints, built by the composition root.
public struct RegistryServices: Sendable {
    public var installing: Installing
    public var importing: DeviceImporting
    /// Tells the device plane a device changed (installed, revoked, decommissioned).
    public var deviceChanged: @Sendable (Device) -> Void
    /// Recomputes what the device plane knows of certified models and bans, after one of them changed.
    public var registryChanged: @Sendable () async -> Void
    /// Threshold profiles: versions, assignment, status.
    public var profiles: ProfileService
    /// Remote commands: issue (through the interlocks), approve, cancel; site-wide trips.
    public var commands: CommandIssuing

    public init(
        installing: Installing, importing: DeviceImporting, deviceChanged: @escaping @Sendable (Device) -> Void,
        registryChanged: @escaping @Sendable () async -> Void, profiles: ProfileService, commands: CommandIssuing
    ) {
        self.commands = commands
        self.profiles = profiles
        self.installing = installing
        self.importing = importing
        self.deviceChanged = deviceChanged
        self.registryChanged = registryChanged
    }
}
