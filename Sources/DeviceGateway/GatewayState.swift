import FleetDomain

/// What the device handlers read and write, all of it on the CoAP loop thread: the gateway keeps it in a
/// `LoopConfined`, and the admin side changes it only through `CoAPServer.perform`.
struct GatewayState {
    var directory: [Serial: DirectoryEntry] = [:]
    var deduplicator = EventDeduplicator()
    var certifiedModels: Set<String>
    /// SHA-256 fingerprints of banned CA certificates (anchor or issuer of a peer's chain).
    var bannedCAs: Set<[UInt8]> = []
    var bannedModels: Set<String> = []
    /// Keys of PSK-only devices, by serial.
    var presharedKeys: [Serial: [UInt8]] = [:]
    /// The JSON of each profile's latest version, by version (see `profilesChanged`).
    var profileBodies: [Int: [UInt8]] = [:]
    /// Each device's desired profile; nil inside: no profile fits its model.
    var desiredProfiles: [Serial: DesiredProfile?] = [:]
    /// `default`, for devices precedence has not run for yet.
    var fallbackProfile: DesiredProfile?

    init(certifiedModels: Set<String>) {
        self.certifiedModels = certifiedModels
    }
}
