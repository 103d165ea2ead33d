import Foundation
import X509

/// Turning a single-level fleet CA (from before the two-level PKI) into root + issuing CA without
/// invalidating a single certificate it issued.
extension PKIDirectory {
    /// What `migrate` did, for the CLI to tell the operator.
    public struct Migration: Sendable {
        public let loaded: LoadedPKI
        /// Where the old CA's key now lives as the root key: move it offline.
        public let rootKeyURL: URL
    }

    /// The old CA's key becomes the root key: its certificate is re-issued self-signed with the same subject
    /// and key but pathLen 1 (`reissuedAsRoot`), so every device certificate it signed chains to the new
    /// root exactly as before, and a new issuing CA is made under it for the certificates to come. The server
    /// certificate is re-issued with the same names by the root itself: devices that pinned the old CA
    /// certificate (pathLen 0, so it cannot vouch for an issuing CA) still verify the server. The old CA
    /// certificate is kept as `fleet/legacy-fleet-ca.crt` (not trusted any more: the re-issued root is).
    /// The root key is written to `rootKeyURL` (default `fleet-root.key` here) and removed from `fleet-ca.key`.
    public func migrate(rootKeyURL: URL? = nil, now: Date = Date()) throws -> Migration {
        guard isSingleLevel else {
            throw PKIError(.wrongLayout, "\(url.path) already has a root CA (\(rootCertificateURL.lastPathComponent)); nothing to migrate")
        }
        let rootKeyURL = rootKeyURL ?? self.rootKeyURL
        let old = try loadAuthority()
        guard old.isSelfSigned else {
            throw PKIError(.wrongLayout, "\(authorityCertificateURL.path) is not self-signed and \(rootCertificateURL.path) is missing")
        }
        let oldServer = try certificate(in: serverCertificateURL, code: .invalidCertificate)
        let root = try old.reissuedAsRoot(now: now)
        let issuer = try root.issueSubordinateAuthority(commonName: Self.issuerName(now: now), now: now)
        let server = try issueServer(by: root, names: CertificateInspector.subjectAlternativeNames(of: oldServer), now: now)

        // Every intermediate state loads: the old CA stays its own issuer until fleet-ca.* is replaced, and the
        // root-signed server certificate verifies with the old CA certificate (same subject, same key).
        try writePublic(old.certificatePEM, to: legacyAuthorityURL)
        try writePrivate(root.privateKeyPEM, to: rootKeyURL)
        try server.writePEM(certificateTo: serverCertificateURL, privateKeyTo: serverKeyURL)
        try writePublic(root.certificatePEM, to: rootCertificateURL)
        try writePrivate(issuer.privateKeyPEM, to: authorityKeyURL)
        try writePublic(issuer.certificatePEM, to: authorityCertificateURL)
        return Migration(loaded: try load(now: now), rootKeyURL: rootKeyURL)
    }
}
