import Foundation

/// Where a device is installed now: one circuit of one site holds at most one device.
public struct Assignment: Sendable, Equatable, Codable {
    public var serial: Serial
    public var siteID: String
    public var circuit: String

    public init(serial: Serial, siteID: String, circuit: String) {
        self.serial = serial
        self.siteID = siteID
        self.circuit = circuit
    }
}

/// One binding of a device to a site and circuit, kept forever (who, when, where, how).
public struct Installation: Sendable, Equatable, Codable {
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// An installer's (or admin's) token.
        case token
        /// A single-use claim code.
        case claim
        /// A bulk import (the device is provisioned with its planned site and circuit).
        case `import`
    }

    public var id: String
    public var serial: Serial
    public var siteID: String
    public var circuit: String
    public var method: Method
    /// The token's name, or the claim code's id: who may be asked about it.
    public var installedBy: String
    public var at: Date
    /// Whether an operational certificate was issued from the installer's CSR.
    public var rekeyed: Bool
    /// The site an active device was moved from (a move), nil for any other installation.
    public var movedFrom: String?
    /// Why, as the installer gave it (required for a move).
    public var reason: String?

    public init(
        id: String, serial: Serial, siteID: String, circuit: String, method: Method,
        installedBy: String, at: Date, rekeyed: Bool = false, movedFrom: String? = nil, reason: String? = nil
    ) {
        self.movedFrom = movedFrom
        self.reason = reason
        self.id = id
        self.serial = serial
        self.siteID = siteID
        self.circuit = circuit
        self.method = method
        self.installedBy = installedBy
        self.at = at
        self.rekeyed = rekeyed
    }

    public var assignment: Assignment { Assignment(serial: serial, siteID: siteID, circuit: circuit) }

    /// Whether this installation moved an active device from another site.
    public var isMove: Bool { movedFrom != nil }

    /// A circuit label as electricians write it on the panel ("1F-AL1 L2", "一楼照明"): 1–64 characters.
    public static func circuitIssue(_ circuit: String, field: String = "circuit") -> FieldIssue? {
        var issues: [FieldIssue] = []
        TextRule.check(circuit, field: field, max: 64, into: &issues)
        return issues.first
    }

    /// The state an installation moves a device to, or why it may not be installed.
    public static func nextState(of device: Device) -> Result<DeviceState, DomainError> {
        switch device.state {
        case .unassigned, .provisioned, .active, .offline, .expired:
            return .success(.active)
        case .revoked, .decommissioned:
            return .failure(DomainError(.conflict, "device \(device.serial) is \(device.state.rawValue) and cannot be installed"))
        }
    }
}

/// A single-use code an admin creates for one site, for an installer without a token.
///
/// Only the SHA-256 of the secret is stored (like tokens). It is printed once, also as a QR payload.
public struct ClaimCode: Sendable, Equatable, Codable {
    public var id: String
    public var hash: String
    public var siteID: String
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date
    public var redeemedAt: Date?
    public var redeemedSerial: Serial?

    public init(
        id: String, hash: String, siteID: String, createdBy: String, createdAt: Date, expiresAt: Date,
        redeemedAt: Date? = nil, redeemedSerial: Serial? = nil
    ) {
        self.id = id
        self.hash = hash
        self.siteID = siteID
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.redeemedAt = redeemedAt
        self.redeemedSerial = redeemedSerial
    }

    /// Seconds: a code is meant for one visit, so short by default and never longer than a day.
    public static let defaultTTL = 1800
    public static let ttlRange = 60...86_400

    /// `BF1:<secret>:<site>`: versioned so the format can change, the site in clear so the installer's app
    /// can show where the code is for before redeeming it.
    public static func qrPayload(secret: String, siteID: String) -> String { "BF1:\(secret):\(siteID)" }

    /// The secret inside a QR payload, or the text itself when it is a bare code.
    public static func secret(fromPayload text: String) -> String {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "BF1" { return String(parts[1]) }
        return text
    }

    /// Why this code can no longer be redeemed at `now`, or nil if it can.
    public func refusal(at now: Date) -> DomainError? {
        if let redeemedAt {
            return DomainError(.gone, "claim code \(id) was already used at \(redeemedAt) for \(redeemedSerial?.rawValue ?? "a device")")
        }
        if now >= expiresAt { return DomainError(.gone, "claim code \(id) expired at \(expiresAt)") }
        return nil
    }
}
