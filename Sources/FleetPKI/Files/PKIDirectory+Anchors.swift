import Foundation
import X509

/// The CA certificates the server trusts besides the root and the current issuing CA: previous issuing CAs
/// (`fleet/issuers/`) and manufacturer CAs (`manufacturers/`). Each is checked, none skipped.
extension PKIDirectory {
    /// Every certificate in `manufacturers/*.crt|*.pem`, sorted by file name; [] if the folder is absent.
    /// Each must be a CA with keyCertSign, valid at `now`, and not one of the fleet's own CA certificates
    /// (`fleet`, by fingerprint); a file that cannot be read or parsed stops the load as well.
    public func loadManufacturerCAs(now: Date = Date(), fleet: Set<[UInt8]> = []) throws -> [ManufacturerCA] {
        var result: [ManufacturerCA] = []
        for name in try fileNames(in: manufacturersURL) where name.hasSuffix(".crt") || name.hasSuffix(".pem") {
            let file = manufacturersURL.appendingPathComponent(name)
            for der in try certificateBlocks(in: file, code: .invalidManufacturerCA) {
                let certificate = try CertificateInspector.parse(der: der)
                try AuthorityCheck.require(certificate, in: file, now: now, code: .invalidManufacturerCA)
                if fleet.contains(DERFingerprint.sha256(der)) {
                    throw PKIError(.invalidManufacturerCA, "\(file.path): it is one of the fleet's own CA certificates, not a manufacturer's")
                }
                let commonName = CertificateInspector.commonName(of: certificate.subject) ?? ""
                result.append(ManufacturerCA(name: commonName, fileName: name, der: der))
            }
        }
        return result
    }

    /// Previous issuing CA certificates (`fleet/issuers/*.crt`), each signed by `root` and a CA; those that
    /// expired are dropped with a warning, anything else wrong stops the load. Excludes `current`.
    func loadPreviousIssuers(root: Certificate, current: [UInt8], now: Date, warnings: inout [String]) throws -> [[UInt8]] {
        var result: [[UInt8]] = []
        for name in try fileNames(in: previousIssuersURL) where name.hasSuffix(".crt") {
            let file = previousIssuersURL.appendingPathComponent(name)
            let issuer = try certificate(in: file, code: .invalidTrustAnchor)
            guard CertificateInspector.isIssued(issuer, by: root) else {
                throw PKIError(.invalidTrustAnchor, "\(file.path): it was not issued by the fleet root")
            }
            let der = try CertificateInspector.derBytes(of: issuer)
            if now >= issuer.notValidAfter {
                warnings.append("previous issuing CA \(file.path) expired at \(issuer.notValidAfter) and is no longer trusted; delete it")
                continue
            }
            try AuthorityCheck.require(issuer, in: file, now: now, code: .invalidTrustAnchor)
            if der != current && !result.contains(der) { result.append(der) }
        }
        return result
    }
}
