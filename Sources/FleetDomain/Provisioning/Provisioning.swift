import Foundation

/// A device's credentials, handed to the installer once: a certificate and key from the fleet CA, or for a
/// PSK-only model a pre-shared key (identity = serial). The fleet CA certificate comes with both, so the
/// device can verify the server.
public struct DeviceCredential: Sendable, Codable, Equatable {
    public var certificatePEM: String?
    public var privateKeyPEM: String?
    public var caCertificatePEM: String
    public var presharedKeyIdentity: String?
    /// The key as printable text; its UTF-8 bytes are the DTLS PSK (what `coap-client -k` takes).
    public var presharedKey: String?
    /// What binds the issued certificate to the device (not sent to anyone).
    public var binding: BoundCertificate?

    public init(certificatePEM: String, privateKeyPEM: String, caCertificatePEM: String, binding: BoundCertificate? = nil) {
        self.binding = binding
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.caCertificatePEM = caCertificatePEM
    }

    public init(presharedKeyIdentity: String, presharedKey: String, caCertificatePEM: String) {
        self.presharedKeyIdentity = presharedKeyIdentity
        self.presharedKey = presharedKey
        self.caCertificatePEM = caCertificatePEM
    }

    enum CodingKeys: String, CodingKey {
        case certificatePEM = "certificate", privateKeyPEM = "private_key", caCertificatePEM = "ca_certificate"
        case presharedKeyIdentity = "psk_identity", presharedKey = "psk"
    }
}

/// Per-device pre-shared keys: `length` characters of base64url (6 bits each: 16 characters carry 96 random
/// bits, 32 carry 192), printable so that field tools and `coap-client -k` can take them as they are. The
/// DTLS key is the text's bytes, so `length` is the key length a device must support (tinydtls: 16 at most);
/// it is the model's `presharedKeyBytes`.
public enum PresharedKeys {
    public static func generate(length: Int = CertifiedModel.defaultPresharedKeyBytes, using random: any RandomSource) -> String {
        // Enough random bytes for `length` base64 characters (4 per 3 bytes), then exactly `length` of them.
        let text = Data(random.bytes((length * 3 + 3) / 4)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return String(text.prefix(length))
    }
}

/// Issues device certificates; implemented by FleetPKI so the domain knows no X.509.
public protocol CertificateIssuing: Sendable {
    func issueDeviceCredential(for serial: Serial) throws -> DeviceCredential
    /// The fleet CA certificate, so any device can verify the server.
    func authorityCertificatePEM() throws -> String
}

/// Provisioning: a serial and a model become a device with an operational certificate, or, for a PSK-only
/// model, with a per-device pre-shared key (identity = serial).
public struct Provisioning: Sendable {
    public static let modelPattern = "1–64 characters of A–Z, a–z, 0–9, '-', '_', '.'"
    let store: any DeviceStore & PresharedKeyStore
    let issuer: any CertificateIssuing
    /// Tells the device plane, so the device can register at once.
    let deviceChanged: @Sendable (Device) -> Void
    let presharedKeyChanged: @Sendable (Serial, [UInt8]) -> Void
    /// Where pre-shared keys come from.
    let random: any RandomSource
    /// Binds the issued certificate to the device once it is recorded.
    let bindCertificate: CertificateBinder

    public init(
        store: any DeviceStore & PresharedKeyStore, issuer: any CertificateIssuing, random: any RandomSource,
        deviceChanged: @escaping @Sendable (Device) -> Void,
        presharedKeyChanged: @escaping @Sendable (Serial, [UInt8]) -> Void = { _, _ in },
        bindCertificate: @escaping CertificateBinder = { _, _ in }
    ) {
        self.bindCertificate = bindCertificate
        self.store = store
        self.issuer = issuer
        self.random = random
        self.deviceChanged = deviceChanged
        self.presharedKeyChanged = presharedKeyChanged
    }

    public static func isValidModel(_ model: String) -> Bool {
        (1...64).contains(model.utf8.count) && model.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
    }

    /// Issues first, then records: a device is never recorded without credentials. If the record fails
    /// (a duplicate), the fresh credential is dropped unseen — its key never left this process.
    /// `presharedKeyBytes` is nil for a certificate, else the length of the PSK a PSK-only model takes.
    public func provision(
        serial: Serial, model: String, presharedKeyBytes: Int? = nil, now: Date
    ) async throws -> (Device, DeviceCredential) {
        let device = Device(serial: serial, model: model, state: .provisioned, provisionedAt: now)
        if try await store.device(serial) != nil {
            throw StoreError(.duplicate, "device \(serial) already exists")
        }
        guard let presharedKeyBytes else {
            let credential = try issuer.issueDeviceCredential(for: serial)
            try await store.insertDevice(device)
            if let binding = credential.binding { try await bindCertificate(binding, serial) }
            deviceChanged(device)
            return (device, credential)
        }
        let key = PresharedKeys.generate(length: presharedKeyBytes, using: random)
        try await store.insertDevice(device)
        try await store.setPresharedKey(Array(key.utf8), for: serial, at: now)
        presharedKeyChanged(serial, Array(key.utf8))
        deviceChanged(device)
        let credential = DeviceCredential(
            presharedKeyIdentity: serial.rawValue, presharedKey: key, caCertificatePEM: try issuer.authorityCertificatePEM())
        return (device, credential)
    }
}
