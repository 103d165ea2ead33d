import Foundation

/// Everything the server needs from the PKI directory, parsed and cross-checked.
public struct LoadedPKI: Sendable {
    /// The fleet CA (with its key, so the server/CLI can issue device certificates).
    public let authority: CertificateAuthority
    /// The CoAP server's certificate and key, issued by `authority`.
    public let server: IssuedCredential
    /// Extra trust anchors from `manufacturers/` (factory certificates), DER, in file-name order.
    public let manufacturerCAsDER: [[UInt8]]

    public init(authority: CertificateAuthority, server: IssuedCredential, manufacturerCAsDER: [[UInt8]]) {
        self.authority = authority
        self.server = server
        self.manufacturerCAsDER = manufacturerCAsDER
    }

    /// Every CA a device certificate may chain to: the fleet CA first, then manufacturers.
    public var trustedCAsDER: [[UInt8]] { [authority.certificateDER] + manufacturerCAsDER }

    /// `trustedCAsDER` as one PEM bundle, e.g. for libcoap's `ca_file` / `COAP_PKI_KEY_PEM_BUF`.
    public var trustBundlePEM: String {
        trustedCAsDER.map { PEM.encode($0, type: "CERTIFICATE") }.joined()
    }
}
