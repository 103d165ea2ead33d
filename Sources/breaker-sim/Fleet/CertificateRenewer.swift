import CoAPTransport
import Crypto
import FleetPKI
import Foundation
import SwiftASN1
import X509

/// A simulated device's certificate life (spec: "Certificates over the device's life"): when less than a
/// fifth of its certificate's validity is left, it re-enrolls over EST (`POST /.well-known/est/sren`, a
/// CSR for a new P-256 key, RFC 9148) and keeps the new certificate and key where it found the old ones.
struct CertificateRenewer: Sendable {
    /// Where the device's `SERIAL.crt` / `SERIAL.key` live (nil: credentials from the API, kept in memory).
    let folder: URL?

    /// Whether a certificate valid from `notBefore` to `notAfter` is due for renewal at `now`.
    static func isDue(notBefore: Date, notAfter: Date, at now: Date) -> Bool {
        let lifetime = notAfter.timeIntervalSince(notBefore)
        return lifetime > 0 && notAfter.timeIntervalSince(now) < lifetime / 5
    }

    /// A new key and the DER CSR (CN = the serial) that asks for a certificate of it.
    static func request(for serial: String) throws -> (key: P256.Signing.PrivateKey, csrDER: [UInt8]) {
        let key = P256.Signing.PrivateKey()
        let csr = try CertificateSigningRequest(
            version: .v1, subject: try DistinguishedName { CommonName(serial) }, privateKey: .init(key),
            attributes: CertificateSigningRequest.Attributes(), signatureAlgorithm: .ecdsaWithSHA256)
        var serializer = DER.Serializer()
        try serializer.serialize(csr)
        return (key, serializer.serializedBytes)
    }

    /// Renews on `session` and calls `done` with whether a new certificate came back and was kept.
    func renew(serial: String, on session: CoAPClientSession, done: @escaping (Bool) -> Void) {
        let request: (key: P256.Signing.PrivateKey, csrDER: [UInt8])
        do { request = try Self.request(for: serial) } catch { return done(false) }
        let post = CoAPClientRequest(.post, "/.well-known/est/sren", contentFormat: .pkcs10, payload: request.csrDER)
        session.send(post) { result in
            guard case .success(let response) = result, response.code == .changed, response.contentFormat == .pkixCert else {
                return done(false)
            }
            done(keep(serial: serial, certificateDER: response.payload, key: request.key))
        }
    }

    /// Writes the new certificate and key over the old ones (key 0600), if the device has files.
    private func keep(serial: String, certificateDER: [UInt8], key: P256.Signing.PrivateKey) -> Bool {
        guard let folder else { return true }
        do {
            try SecureFile.write(Array(PEM.encode(certificateDER, type: "CERTIFICATE").utf8),
                                 to: folder.appendingPathComponent("\(serial).crt"), mode: SecureFile.publicMode)
            try SecureFile.write(Array(key.pemRepresentation.utf8), to: folder.appendingPathComponent("\(serial).key"), mode: SecureFile.privateMode)
            return true
        } catch {
            return false
        }
    }
}
