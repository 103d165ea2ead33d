import FleetDomain
import FleetPKI

/// The domain's certificate issuing, done by the fleet CA.
struct FleetCertificateIssuer: CertificateIssuing {
    let authority: CertificateAuthority
    /// Where the validity of issued certificates starts.
    let clock: any WallClock

    func issueDeviceCredential(for serial: Serial) throws -> DeviceCredential {
        let now = clock.now()
        let issued = try authority.issueDeviceCertificate(serial: serial.rawValue, now: now)
        return DeviceCredential(
            certificatePEM: issued.certificatePEM, privateKeyPEM: issued.privateKeyPEM,
            caCertificatePEM: authority.certificatePEM,
            binding: try CertificateFingerprints.binding(of: issued, issuerDER: authority.certificateDER, source: .provisioned, at: now))
    }

    func authorityCertificatePEM() throws -> String { authority.certificatePEM }
}
