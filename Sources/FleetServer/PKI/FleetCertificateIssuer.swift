import FleetDomain
import FleetPKI

/// The domain's certificate issuing, done by the fleet's current issuing CA.
struct FleetCertificateIssuer: CertificateIssuing {
    /// The issuing CA (with its key); the root key is never on the server.
    let authority: CertificateAuthority
    /// What devices get as `ca_certificate`: the fleet root, which they pin to verify the server (the server
    /// sends its certificate with the issuing CA, so the root alone verifies it across issuer rotations).
    let caCertificatePEM: String
    /// Where the validity of issued certificates starts.
    let clock: any WallClock

    init(pki: LoadedPKI, clock: any WallClock) {
        authority = pki.authority
        caCertificatePEM = pki.fleetRootPEM
        self.clock = clock
    }

    func issueDeviceCredential(for serial: Serial) throws -> DeviceCredential {
        let now = clock.now()
        let issued = try authority.issueDeviceCertificate(serial: serial.rawValue, now: now)
        return DeviceCredential(
            certificatePEM: issued.certificatePEM, privateKeyPEM: issued.privateKeyPEM,
            caCertificatePEM: caCertificatePEM,
            binding: try CertificateFingerprints.binding(of: issued, issuerDER: authority.certificateDER, source: .provisioned, at: now))
    }

    func authorityCertificatePEM() throws -> String { caCertificatePEM }
}
