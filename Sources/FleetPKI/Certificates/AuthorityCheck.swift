import Foundation
import X509

/// What a certificate must be for the fleet to trust it as a CA: every trust anchor and issuing CA is
/// checked at load with this, and a failure names the file and the reason instead of skipping it.
enum AuthorityCheck {
    /// Why `certificate` cannot be trusted as a CA at `now`, or nil if it can: basicConstraints CA:TRUE,
    /// keyUsage with keyCertSign (RFC 5280 §4.2.1.3 makes it mandatory for CA certificates), and `now`
    /// within its validity.
    static func problem(with certificate: Certificate, now: Date) -> String? {
        let constraints: BasicConstraints?
        let usage: KeyUsage?
        do {
            constraints = try certificate.extensions.basicConstraints
            usage = try certificate.extensions.keyUsage
        } catch {
            return "its extensions do not parse: \(error)"
        }
        guard case .isCertificateAuthority = constraints else {
            return constraints == nil ? "it is not a CA (no basicConstraints)" : "it is not a CA (basicConstraints CA:FALSE)"
        }
        guard let usage else { return "it has no keyUsage (a CA certificate needs keyUsage keyCertSign)" }
        guard usage.keyCertSign else { return "its keyUsage lacks keyCertSign" }
        if now < certificate.notValidBefore { return "it is not valid before \(certificate.notValidBefore)" }
        if now >= certificate.notValidAfter { return "it expired at \(certificate.notValidAfter)" }
        return nil
    }

    /// Throws `code` with "`file`: `reason`" when `certificate` is unfit (see `problem(with:now:)`).
    static func require(_ certificate: Certificate, in file: URL, now: Date, code: PKIError.Code) throws {
        if let problem = problem(with: certificate, now: now) {
            throw PKIError(code, "\(file.path): \(problem)")
        }
    }
}
