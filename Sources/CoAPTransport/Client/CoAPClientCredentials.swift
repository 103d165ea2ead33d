import Foundation

/// A device's DTLS credentials for a client session: its certificate and private key, and the CA that must
/// have signed the server's certificate. Held as DER in memory (OpenSSL parses it per connection; nothing
/// is read from disk per handshake). Immutable and shared by every session that uses it.
// `@unchecked Sendable`: the buffers are written once in `init` and only read afterwards (by loop threads).
public final class CoAPClientCredentials: @unchecked Sendable {
    /// Owned heap copies whose addresses libcoap may keep while it sets up a session.
    let buffers: CredentialBuffers

    /// - Parameters:
    ///   - certificateDER: the device certificate.
    ///   - privateKeyDER: PKCS#8 or SEC1 DER of its EC P-256 key.
    ///   - serverAuthorityDER: the CA that signed the server's certificate (the fleet CA).
    public init(certificateDER: [UInt8], privateKeyDER: [UInt8], serverAuthorityDER: [UInt8]) {
        buffers = CredentialBuffers(.init(
            certificateDER: certificateDER, privateKeyDER: privateKeyDER, trustAnchorsDER: [serverAuthorityDER]))
    }

    /// Reads PEM files (`SERIAL.crt`, `SERIAL.key`, `ca.crt`) once and keeps their DER.
    public convenience init(certificatePEM: URL, privateKeyPEM: URL, serverAuthorityPEM: URL) throws {
        try self.init(
            certificatePEM: String(contentsOf: certificatePEM, encoding: .utf8),
            privateKeyPEM: String(contentsOf: privateKeyPEM, encoding: .utf8),
            serverAuthorityPEM: String(contentsOf: serverAuthorityPEM, encoding: .utf8))
    }

    /// Takes PEM text, as the admin API returns it when it provisions a device.
    public convenience init(certificatePEM: String, privateKeyPEM: String, serverAuthorityPEM: String) throws {
        self.init(
            certificateDER: try PEMBlock.firstDER(in: certificatePEM, what: "certificate"),
            privateKeyDER: try PEMBlock.firstDER(in: privateKeyPEM, what: "private key"),
            serverAuthorityDER: try PEMBlock.firstDER(in: serverAuthorityPEM, what: "CA certificate"))
    }
}

/// The first `-----BEGIN …-----` block of a PEM text, base64-decoded. The transport does not depend on the
/// PKI library, and this is all it needs of PEM.
enum PEMBlock {
    static func firstDER(in text: String, what: String) throws -> [UInt8] {
        guard let begin = text.range(of: "-----BEGIN "),
              let beginEnd = text.range(of: "-----\n", range: begin.upperBound..<text.endIndex)
                ?? text.range(of: "-----\r\n", range: begin.upperBound..<text.endIndex),
              let end = text.range(of: "-----END ", range: beginEnd.upperBound..<text.endIndex) else {
            throw CoAPTransportError(.credentials, "no PEM block in the \(what)")
        }
        let body = text[beginEnd.upperBound..<end.lowerBound]
        guard let data = Data(base64Encoded: String(body), options: .ignoreUnknownCharacters), !data.isEmpty else {
            throw CoAPTransportError(.credentials, "the \(what) PEM block is not valid base64")
        }
        return Array(data)
    }
}
