import Foundation

/// A device's credentials as issued by the fleet CA, handed to the installer once.
public struct DeviceCredential: Sendable, Codable, Equatable {
    public var certificatePEM: String
    public var privateKeyPEM: String
    public var caCertificatePEM: String

    public init(certificatePEM: String, privateKeyPEM: String, caCertificatePEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.caCertificatePEM = caCertificatePEM
    }

    enum CodingKeys: String, CodingKey {
        case certificatePEM = "certificate", privateKeyPEM = "private_key", caCertificatePEM = "ca_certificate"
    }
}

/// Issues device certificates; implemented by FleetPKI so the domain knows no X.509.
public protocol CertificateIssuing: Sendable {
    func issueDeviceCredential(for serial: Serial) throws -> DeviceCredential
}

/// Provisioning: a serial and a model become a device with an operational certificate.
public struct Provisioning: Sendable {
    public static let modelPattern = "1–64 characters of A–Z, a–z, 0–9, '-', '_', '.'"
    let store: any DeviceStore
    let issuer: any CertificateIssuing
    /// Tells the device plane, so the device can register at once.
    let deviceChanged: @Sendable (Device) -> Void

    public init(store: any DeviceStore, issuer: any CertificateIssuing, deviceChanged: @escaping @Sendable (Device) -> Void) {
        self.store = store
        self.issuer = issuer
        self.deviceChanged = deviceChanged
    }

    public static func isValidModel(_ model: String) -> Bool {
        (1...64).contains(model.utf8.count) && model.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }

    /// Issues first, then records: a device is never recorded without credentials. If the record fails
    /// (a duplicate), the fresh credential is dropped unseen — its key never left this process.
    public func provision(serial: Serial, model: String, now: Date = Date()) async throws -> (Device, DeviceCredential) {
        let device = Device(serial: serial, model: model, state: .provisioned, provisionedAt: now)
        if try await store.device(serial) != nil {
            throw StoreError(.duplicate, "device \(serial) already exists")
        }
        let credential = try issuer.issueDeviceCredential(for: serial)
        try await store.insertDevice(device)
        deviceChanged(device)
        return (device, credential)
    }
}
