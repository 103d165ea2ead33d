import FleetDomain
import Foundation

struct InstallationRepresentation: Encodable, Sendable {
    let id: String
    let serial: Serial
    let site: String
    let circuit: String
    let method: Installation.Method
    let installedBy: String
    let at: Date
    let rekeyed: Bool

    init(_ installation: Installation) {
        id = installation.id
        serial = installation.serial
        site = installation.siteID
        circuit = installation.circuit
        method = installation.method
        installedBy = installation.installedBy
        at = installation.at
        rekeyed = installation.rekeyed
    }

    private enum CodingKeys: String, CodingKey {
        case id, serial, site, circuit, method, at, rekeyed, installedBy = "installed_by"
    }
}

struct AssignmentRepresentation: Encodable, Sendable {
    let site: String
    let circuit: String

    init(_ assignment: Assignment) {
        site = assignment.siteID
        circuit = assignment.circuit
    }
}

struct RetirementRepresentation: Encodable, Sendable {
    let state: DeviceState
    let reason: String
    let by: String
    let at: Date

    init(_ retirement: Retirement) {
        state = retirement.state
        reason = retirement.reason
        by = retirement.by
        at = retirement.at
    }
}

/// The answer to an installation: the certificate fields are null unless a CSR was submitted.
struct Installed: Encodable, Sendable {
    let device: DeviceRepresentation
    let installation: InstallationRepresentation
    let certificate: String?
    let caCertificate: String?

    init(_ outcome: Installing.Outcome, now: Date) {
        device = DeviceRepresentation(outcome.device, at: now)
        installation = InstallationRepresentation(outcome.installation)
        certificate = outcome.certificatePEM
        caCertificate = outcome.caCertificatePEM
    }

    private enum CodingKeys: String, CodingKey { case device, installation, certificate, caCertificate = "ca_certificate" }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(device, forKey: .device)
        try container.encode(installation, forKey: .installation)
        try container.encode(certificate, forKey: .certificate)
        try container.encode(caCertificate, forKey: .caCertificate)
    }
}

struct History: Encodable, Sendable {
    let assignment: AssignmentRepresentation?
    let installations: [InstallationRepresentation]
    let retirements: [RetirementRepresentation]

    private enum CodingKeys: String, CodingKey { case assignment, installations, retirements }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(assignment, forKey: .assignment)
        try container.encode(installations, forKey: .installations)
        try container.encode(retirements, forKey: .retirements)
    }
}

struct CreatedClaim: Encodable, Sendable {
    let id: String
    let code: String
    let qr: String
    let site: String
    let expiresAt: Date

    private enum CodingKeys: String, CodingKey { case id, code, qr, site, expiresAt = "expires_at" }
}
