import DeviceGateway
import FleetDomain
import FleetPKI
import Foundation

/// EST renewal (`/.well-known/est/sren`) done by the fleet CA: the CSR arrives as DER, is checked like an
/// installation re-key's (signature, P-256, CN = the session's serial) and signed.
struct EnrollmentAuthority {
    let pki: LoadedPKI

    var renewal: CertificateRenewal {
        get throws {
            let authority = pki.authority
            // Root first, then the issuing CAs a device may meet in the server's chain.
            var chain = [pki.fleetRootDER]
            for issuer in pki.fleetIssuersDER where !chain.contains(issuer) { chain.append(issuer) }
            return CertificateRenewal(
                authorityCertificatesPKCS7: CertificatesOnlyPKCS7.encode(chain),
                rootCertificateDER: pki.fleetRootDER,
                issue: { serial, csrDER, now in
                    let pem = PEM.encode(csrDER, type: "CERTIFICATE REQUEST")
                    let issued: IssuedCredential
                    do {
                        issued = try authority.issueDeviceCertificate(serial: serial.rawValue, csrPEM: pem, now: now)
                    } catch let error as PKIError {
                        throw RenewalRefused(message: "csr: \(error.message)")
                    }
                    let binding = try CertificateFingerprints.binding(
                        of: issued, issuerDER: authority.certificateDER, source: .renewed, at: now)
                    return (issued.certificateDER, binding)
                })
        }
    }
}

/// Why a renewal was refused, as the device is told.
struct RenewalRefused: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
