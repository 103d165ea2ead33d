import Foundation

/// An admin taking a device out of the fleet: revoked (its certificate refused from now on) or
/// decommissioned (out of service, its circuit freed). Kept forever with who, when and why.
public struct Retirement: Sendable, Equatable, Codable {
    public var serial: Serial
    /// `.revoked` or `.decommissioned`.
    public var state: DeviceState
    public var reason: String
    public var by: String
    public var at: Date

    public init(serial: Serial, state: DeviceState, reason: String, by: String, at: Date) {
        self.serial = serial
        self.state = state
        self.reason = reason
        self.by = by
        self.at = at
    }

    public static func reasonIssue(_ reason: String) -> FieldIssue? {
        var issues: [FieldIssue] = []
        TextRule.check(reason, field: "reason", max: 512, into: &issues)
        return issues.first
    }

    /// Revoking is refused once revoked or decommissioned (nothing left to revoke); decommissioning is
    /// refused only when already decommissioned (a revoked device is still retired to free its circuit).
    public static func check(_ target: DeviceState, from device: Device) -> DomainError? {
        switch (target, device.state) {
        case (.revoked, .revoked), (.revoked, .decommissioned), (.decommissioned, .decommissioned):
            return DomainError(.conflict, "device \(device.serial) is already \(device.state.rawValue)")
        case (.revoked, _), (.decommissioned, _):
            return nil
        default:
            return DomainError(.invalid, "a retirement is to revoked or decommissioned, not \(target.rawValue)")
        }
    }
}

/// A whole manufacturer CA or a whole model barred from the fleet.
public struct Ban: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A manufacturer CA, by its subject CN: every factory certificate it signed is refused.
        case ca
        /// A model code: no device of it registers, is provisioned, installed or imported.
        case model
    }

    public var kind: Kind
    public var subject: String
    public var reason: String
    public var by: String
    public var at: Date

    public init(kind: Kind, subject: String, reason: String, by: String, at: Date) {
        self.kind = kind
        self.subject = subject
        self.reason = reason
        self.by = by
        self.at = at
    }

    public func validate() -> [FieldIssue] {
        var issues: [FieldIssue] = []
        switch kind {
        case .model where !Provisioning.isValidModel(subject):
            issues.append(FieldIssue("model", "model must be \(Provisioning.modelPattern)"))
        case .ca:
            TextRule.check(subject, field: "subject_cn", max: 64, into: &issues)
        default:
            break
        }
        if let issue = Retirement.reasonIssue(reason) { issues.append(issue) }
        return issues
    }
}
