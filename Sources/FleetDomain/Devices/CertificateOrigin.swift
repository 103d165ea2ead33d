/// Which trust anchor vouched for a device's certificate during the DTLS handshake.
public enum CertificateOrigin: Sendable, Equatable, Hashable {
    /// An operational certificate issued by the fleet's own CA (the device was provisioned).
    case fleet
    /// A factory certificate from a trusted manufacturer CA, identified by that CA's subject CN.
    case manufacturer(String)
    /// Not a certificate: the per-device pre-shared key of a PSK-only model (identity = serial).
    case presharedKey
}

/// The identity a DTLS session proved: only this ever tells a handler who is speaking.
public struct DeviceIdentity: Sendable, Equatable, Hashable {
    public let serial: Serial
    public let origin: CertificateOrigin

    public init(serial: Serial, origin: CertificateOrigin) {
        self.serial = serial
        self.origin = origin
    }
}
