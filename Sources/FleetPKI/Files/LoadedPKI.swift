import Foundation

/// Everything the server needs from the PKI directory, parsed and cross-checked (`PKIDirectory.load`).
public struct LoadedPKI: Sendable {
    /// The current issuing CA with its key: it signs device certificates. In a single-level directory
    /// from before the two-level PKI this is the old fleet CA, which is also `fleetRootDER`.
    public let authority: CertificateAuthority
    /// The CoAP server's certificate and key, issued by the issuing CA or (after `ca migrate`) the root.
    public let server: IssuedCredential
    /// The fleet root CA certificate: what devices pin to verify the server.
    public let fleetRootDER: [UInt8]
    /// The fleet's issuing CA certificates the server trusts: the current one first, then previous ones
    /// still valid. In a single-level directory, just the old fleet CA (its own root and issuer).
    public let fleetIssuersDER: [[UInt8]]
    /// Manufacturer CAs from `manufacturers/`, in file-name order.
    public let manufacturerCAs: [ManufacturerCA]
    /// Things an operator should hear about that do not stop the start (the root key left online,
    /// expired previous issuing CAs no longer trusted), for the server's log.
    public let warnings: [String]

    public init(
        authority: CertificateAuthority, server: IssuedCredential, fleetRootDER: [UInt8], fleetIssuersDER: [[UInt8]],
        manufacturerCAs: [ManufacturerCA], warnings: [String] = []
    ) {
        self.authority = authority
        self.server = server
        self.fleetRootDER = fleetRootDER
        self.fleetIssuersDER = fleetIssuersDER
        self.manufacturerCAs = manufacturerCAs
        self.warnings = warnings
    }

    /// What the DTLS server trusts: the fleet root first, then the issuing CAs (not repeating the root of a
    /// single-level directory), then the manufacturer CAs.
    public var trustedCAsDER: [[UInt8]] {
        [fleetRootDER] + fleetIssuersDER.filter { $0 != fleetRootDER } + manufacturerCAs.map(\.der)
    }

    /// `trustedCAsDER` as one PEM bundle, e.g. for libcoap's `ca_file` / `COAP_PKI_KEY_PEM_BUF`.
    public var trustBundlePEM: String {
        trustedCAsDER.map { PEM.encode($0, type: "CERTIFICATE") }.joined()
    }

    /// The root certificate as PEM: the `ca_certificate` handed to devices. The server sends its
    /// certificate with the issuing CA in the handshake, so the root is all a device needs to verify it,
    /// and it stays the same when the issuing CA is rotated.
    public var fleetRootPEM: String { PEM.encode(fleetRootDER, type: "CERTIFICATE") }

    /// SHA-256 fingerprints of the fleet's own CA certificates (root and issuers).
    public var fleetFingerprints: Set<[UInt8]> {
        Set(([fleetRootDER] + fleetIssuersDER).map(DERFingerprint.sha256))
    }
}
