import Foundation

/// Records a certificate the fleet CA just issued as bound to a device (store and device plane): given to
/// provisioning and installation by the composition root. Called only after the device's record was
/// written, so a certificate is never bound to a serial whose provisioning failed.
public typealias CertificateBinder = @Sendable (BoundCertificate, Serial) async throws -> Void

/// A certificate signed from a device's CSR, with what binds it to the device.
public struct SignedCertificate: Sendable {
    public var certificatePEM: String
    public var caCertificatePEM: String
    /// Nil where no binding can be made (a stand-in signer in tests).
    public var binding: BoundCertificate?

    public init(certificatePEM: String, caCertificatePEM: String, binding: BoundCertificate?) {
        self.certificatePEM = certificatePEM
        self.caCertificatePEM = caCertificatePEM
        self.binding = binding
    }
}
