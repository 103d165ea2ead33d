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
    /// Tells the device plane that a device's commands changed in the store (issued, approved, cancelled):
    /// it re-reads them and pushes them to the device if it is connected. Any thread; returns at once.
    public var commandsChanged: @Sendable (Serial) -> Void = { _ in }

    public init(
        installing: Installing, importing: DeviceImporting, deviceChanged: @escaping @Sendable (Device) -> Void,
        registryChanged: @escaping @Sendable () async -> Void, profiles: ProfileService
    ) {
        self.profiles = profiles
        self.installing = installing
        self.importing = importing
        self.deviceChanged = deviceChanged
        self.registryChanged = registryChanged
    }
}
