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

/// A whole CA or a whole model barred from the fleet.
public struct Ban: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A CA certificate by the SHA-256 fingerprint of its DER (64 lowercase hex digits): every certificate
        /// whose chain has it as anchor or issuer is refused.
        case ca
        /// A model code: no device of it registers, is provisioned, installed or imported.
        case model
        /// A CA banned by its subject CN before bans were by fingerprint. Anyone making a CA may choose its
        /// name, so these are kept for the record but match nothing; ban the CA again by fingerprint.
        case caName = "ca-name"
    }

    public var kind: Kind
    /// The fingerprint (hex) for `ca`, the model code for `model`, the old CN for `ca-name`.
    public var subject: String
    /// For people: the CA's subject CN when the ban was made from its certificate. Never matched.
    public var name: String?
    public var reason: String
    public var by: String
    public var at: Date

    public init(kind: Kind, subject: String, name: String? = nil, reason: String, by: String, at: Date) {
        self.kind = kind
        self.subject = subject
        self.name = name
        self.reason = reason
        self.by = by
        self.at = at
    }

    /// The banned CA's fingerprint (32 bytes), for a `ca` ban with a well-formed subject.
    public var caFingerprint: [UInt8]? {
        guard kind == .ca, Self.isFingerprint(subject) else { return nil }
        return Hex.decode(subject)
    }

    /// 64 lowercase hex digits: a SHA-256 as the fleet writes it.
    public static func isFingerprint(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    public func validate() -> [FieldIssue] {
        var issues: [FieldIssue] = []
        switch kind {
        case .model where !Provisioning.isValidModel(subject):
            issues.append(FieldIssue("model", "model must be \(Provisioning.modelPattern)"))
        case .ca where !Self.isFingerprint(subject):
            issues.append(FieldIssue("subject", "subject must be the CA certificate's SHA-256 fingerprint, 64 lowercase hex digits"))
        case .caName:
            issues.append(FieldIssue("kind", "CAs are no longer banned by name (anyone can give a CA any name): ban its fingerprint with kind ca"))
        default:
            break
        }
        if let name { TextRule.check(name, field: "name", max: 64, into: &issues) }
        if let issue = Retirement.reasonIssue(reason) { issues.append(issue) }
        return issues
    }
}
