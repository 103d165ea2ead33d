import FleetDomain
import Foundation

/// One installation of a device: where, by whom, how, whether it was re-keyed, and for a move of an
/// active device the site it came from and why.
public struct InstallationRepresentation: Codable, Sendable, Equatable {
    /// `install`, or `move` when an active device was taken from another site (`from_site`).
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case install, move
    }

    public var id: String
    public var kind: Kind
    public var serial: String
    public var site: String
    public var fromSite: String?
    public var circuit: String
    public var method: Installation.Method
    public var installedBy: String
    public var at: Date
    public var rekeyed: Bool
    public var reason: String?

    public init(_ installation: Installation) {
        id = installation.id
        kind = installation.isMove ? .move : .install
        serial = installation.serial.rawValue
        site = installation.siteID
        fromSite = installation.movedFrom
        circuit = installation.circuit
        method = installation.method
        installedBy = installation.installedBy
        at = installation.at
        rekeyed = installation.rekeyed
        reason = installation.reason
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, serial, site, circuit, method, at, rekeyed, reason
        case installedBy = "installed_by", fromSite = "from_site"
    }

    /// `from_site` and `reason` are written as null rather than left out, so every record has every key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(serial, forKey: .serial)
        try container.encode(site, forKey: .site)
        try container.encode(fromSite, forKey: .fromSite)
        try container.encode(circuit, forKey: .circuit)
        try container.encode(method, forKey: .method)
        try container.encode(installedBy, forKey: .installedBy)
        try container.encode(at, forKey: .at)
        try container.encode(rekeyed, forKey: .rekeyed)
        try container.encode(reason, forKey: .reason)
    }
}

/// Where a device is installed now.
public struct AssignmentRepresentation: Codable, Sendable, Equatable {
    public var site: String
    public var circuit: String

    public init(_ assignment: Assignment) {
        site = assignment.siteID
        circuit = assignment.circuit
    }
}

/// A device taken out of service: revoked or decommissioned, why, by whom and when.
public struct RetirementRepresentation: Codable, Sendable, Equatable {
    public var state: DeviceState
    public var reason: String
    public var by: String
    public var at: Date

    public init(_ retirement: Retirement) {
        state = retirement.state
        reason = retirement.reason
        by = retirement.by
        at = retirement.at
    }
}

/// The answer to an installation: the certificate fields are null unless a CSR was submitted.
public struct Installed: Codable, Sendable, Equatable {
    public var device: DeviceRepresentation
    public var installation: InstallationRepresentation
    public var certificate: String?
    public var caCertificate: String?

    public init(_ outcome: Installing.Outcome, now: Date) {
        device = DeviceRepresentation(outcome.device, at: now)
        installation = InstallationRepresentation(outcome.installation)
        certificate = outcome.certificatePEM
        caCertificate = outcome.caCertificatePEM
    }

    enum CodingKeys: String, CodingKey { case device, installation, certificate, caCertificate = "ca_certificate" }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(device, forKey: .device)
        try container.encode(installation, forKey: .installation)
        try container.encode(certificate, forKey: .certificate)
        try container.encode(caCertificate, forKey: .caCertificate)
    }
}

/// `GET /api/v1/devices/{serial}/installations`: where it is now and every installation, newest first.
public struct InstallationHistory: Codable, Sendable, Equatable {
    public var assignment: AssignmentRepresentation?
    public var installations: [InstallationRepresentation]
    public var retirements: [RetirementRepresentation]

    public init(
        assignment: AssignmentRepresentation?, installations: [InstallationRepresentation],
        retirements: [RetirementRepresentation]
    ) {
        self.assignment = assignment
        self.installations = installations
        self.retirements = retirements
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(assignment, forKey: .assignment)
        try container.encode(installations, forKey: .installations)
        try container.encode(retirements, forKey: .retirements)
    }
}
