/// The lifecycle of a breaker as the fleet records it.
///
/// `offline` and `expired` are not stored: they are derived from the last contact (see `Presence`),
/// so a device never has to be "woken up" in the store when it checks in again.
public enum DeviceState: String, Sendable, Codable, CaseIterable {
    /// Provisioned by an admin (certificate issued), never registered yet.
    case provisioned
    /// Registered with a trusted factory certificate, waiting for an installer to bind it to a site.
    case unassigned
    /// Registered and in service.
    case active
    /// Missed three heartbeats (derived).
    case offline
    /// No contact for longer than its registration lifetime (derived).
    case expired
    /// Certificate revoked: every request gets 4.03.
    case revoked
    /// Taken out of service; history kept.
    case decommissioned

    /// Whether requests from this device are refused outright.
    public var isBarred: Bool { self == .revoked || self == .decommissioned }
}
