import Foundation

/// The certified-model registry.
public protocol ModelStore: Sendable {
    /// Throws `StoreError.duplicate` if the code exists.
    func insertModel(_ model: CertifiedModel) async throws
    func model(_ code: String) async throws -> CertifiedModel?
    /// Every model, by code.
    func models() async throws -> [CertifiedModel]
}

public protocol SiteStore: Sendable {
    /// Throws `StoreError.duplicate` if the id exists.
    func insertSite(_ site: Site) async throws
    func site(_ id: String) async throws -> Site?
    /// The sites among `ids` that exist (for validating many rows with one query).
    func sites(ids: Set<String>) async throws -> [Site]
    /// Sites by id, of one county if given.
    func sites(county: String?) async throws -> [Site]
}

/// Installations, claim codes and bulk import: everything that binds a device to a site.
public protocol InstallationStore: Sendable {
    /// In one transaction: the device becomes `active` (`StoreError.conflict` if it is revoked or
    /// decommissioned by then), its assignment is replaced (`.conflict` if another device holds that
    /// circuit), the installation is appended, and `claimID`, if given, is consumed (`.conflict` if it
    /// was used or expired by `installation.at`), and the device must still be at `expectingSite` (nil: no
    /// site), the site the rules were checked against (`.conflict` if it moved meanwhile). Returns the
    /// device as stored after.
    func recordInstallation(_ installation: Installation, claimID: String?, expectingSite: String?) async throws -> Device
    func assignment(of serial: Serial) async throws -> Assignment?
    /// The assignments of these devices, and every assignment at these sites (to see taken circuits).
    func assignments(serials: [Serial], sites: Set<String>) async throws -> [Assignment]
    /// Newest first.
    func installations(of serial: Serial) async throws -> [Installation]
    /// The devices among `serials` that exist.
    func devices(serials: [Serial]) async throws -> [Device]
    /// New devices with their planned site, in one transaction: all or none (`.duplicate` or `.conflict`
    /// if a serial or a circuit was taken meanwhile).
    func importDevices(_ items: [ImportedDevice]) async throws

    func insertClaim(_ claim: ClaimCode) async throws
    func claim(hash: String) async throws -> ClaimCode?
}

/// Revocation, decommissioning and bans.
public protocol LifecycleStore: Sendable {
    /// In one transaction: the device's state becomes `retirement.state` and the retirement is recorded;
    /// decommissioning also frees its circuit. Returns the device as stored after (nil if unknown).
    func retire(_ retirement: Retirement) async throws -> Device?
    /// Newest first.
    func retirements(of serial: Serial) async throws -> [Retirement]
    /// Throws `StoreError.duplicate` if that subject is already banned.
    func insertBan(_ ban: Ban) async throws
    func bans() async throws -> [Ban]
}

/// One row of a bulk import that creates a device.
public struct ImportedDevice: Sendable, Equatable {
    public var device: Device
    public var installation: Installation

    public init(device: Device, installation: Installation) {
        self.device = device
        self.installation = installation
    }
}

extension ModelStore where Self: LifecycleStore {
    /// The registry with the bans applied, as of now in the store.
    public func certificationRegistry() async throws -> CertificationRegistry {
        let bans = try await bans()
        return CertificationRegistry(
            models: try await models(),
            bannedModels: Set(bans.filter { $0.kind == .model }.map(\.subject)))
    }
}
