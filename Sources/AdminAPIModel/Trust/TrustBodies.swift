import FleetDomain
import Foundation

/// `GET /api/v1/devices/{serial}/certificates`: the certificates bound to a device, oldest first; the one
/// without `superseded_at` is current.
public struct DeviceCertificates: Codable, Sendable, Equatable {
    public var serial: String
    public var certificates: [BoundCertificate]

    public init(serial: String, certificates: [BoundCertificate]) {
        self.serial = serial
        self.certificates = certificates
    }
}

/// `GET /api/v1/certificates/expiring?within=SECONDS`: devices whose current certificate ends within the
/// window, soonest first — what needs renewal.
public struct ExpiringCertificates: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var serial: String
        public var certificate: BoundCertificate

        public init(serial: String, certificate: BoundCertificate) {
            self.serial = serial
            self.certificate = certificate
        }
    }

    public var before: Date
    public var devices: [Entry]

    public init(before: Date, devices: [Entry]) {
        self.before = before
        self.devices = devices
    }
}

/// `GET /api/v1/security/events`: refusals of the device plane, newest first.
public struct SecurityEventList: Codable, Sendable, Equatable {
    public var events: [SecurityEvent]

    public init(events: [SecurityEvent]) {
        self.events = events
    }
}
