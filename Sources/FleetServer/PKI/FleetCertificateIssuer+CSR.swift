import FleetDomain
import FleetPKI

extension FleetCertificateIssuer: CSRSigning {
    /// Re-keying at installation: the issuing CA signs the key in the device's CSR (which never held the key
    /// outside the device). Any PKI refusal is the installer's input being wrong: 400 naming `csr`.
    func signDeviceCSR(serial: Serial, csrPEM: String) throws -> SignedCertificate {
        do {
            let now = clock.now()
            let issued = try authority.issueDeviceCertificate(serial: serial.rawValue, csrPEM: csrPEM, now: now)
            return SignedCertificate(
                certificatePEM: issued.certificatePEM, caCertificatePEM: caCertificatePEM,
                binding: try CertificateFingerprints.binding(of: issued, issuerDER: authority.certificateDER, source: .rekeyed, at: now))
        } catch let error as PKIError {
            throw DomainError.invalid("csr", "csr: \(error.message)")
        }
    }
}
