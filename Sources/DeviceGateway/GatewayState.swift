import FleetDomain
import Foundation

/// What the device handlers read and write, all of it on the CoAP loop thread: the gateway keeps it in a
/// `LoopConfined`, and the admin side changes it only through `CoAPServer.perform`.
struct GatewayState {
    var directory: [Serial: DirectoryEntry] = [:]
    var deduplicator = EventDeduplicator()
    var certifiedModels: Set<String>
    /// Banned CAs, by fingerprint (any CA of the chain: anchor or issuer).
    var bannedAuthorities: Set<Fingerprint> = []
    var bannedModels: Set<String> = []
    /// Keys of PSK-only devices, by serial.
    var presharedKeys: [Serial: [UInt8]] = [:]
    /// The JSON of each profile's latest version, by version (see `profilesChanged`).
    var profileBodies: [Int: [UInt8]] = [:]
    /// Each device's desired profile; nil inside: no profile fits its model.
    var desiredProfiles: [Serial: DesiredProfile?] = [:]
    /// `default`, for devices precedence has not run for yet.
    var fallbackProfile: DesiredProfile?
    /// The certificates each device may connect with (see `CertificateBindings`).
    var bindings: [Serial: CertificateBindings] = [:]
    /// Recent EST renewal attempts per device (a few per ten minutes at most).
    var renewalAttempts: [Serial: [Date]] = [:]
    /// One security event per (serial, reason, certificate) a minute reaches the store.
    var securityThrottle = SecurityEventThrottle()
    /// Each device's open commands and recently finished ones (see `CommandCache`).
    var commands = CommandCache()

    init(certifiedModels: Set<String>) {
        self.certifiedModels = certifiedModels
    }
}
