import FleetDomain
import FleetPKI

/// The domain's certificate issuing, done by the fleet CA.
struct FleetCertificateIssuer: CertificateIssuing {
    let authority: CertificateAuthority

    func issueDeviceCredential(for serial: Serial) throws -> DeviceCredential {
        let issued = try authority.issueDeviceCertificate(serial: serial.rawValue)
        return DeviceCredential(
            certificatePEM: issued.certificatePEM, privateKeyPEM: issued.privateKeyPEM,
            caCertificatePEM: authority.certificatePEM)
    }

    func authorityCertificatePEM() throws -> String { authority.certificatePEM }
}
