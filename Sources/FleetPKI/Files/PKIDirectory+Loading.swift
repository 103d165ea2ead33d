import Foundation
import X509

extension PKIDirectory {
    /// Reads and cross-checks everything the server needs, as of `now`:
    /// - the issuing CA and its key (matching; the key file not readable by group or others);
    /// - the root (`fleet-root.crt`, or the issuing CA itself in a single-level directory), which signed it;
    /// - every CA certificate trusted (root, issuers, manufacturer CAs) is a CA with keyCertSign and valid
    ///   at `now`; previous issuing CAs that expired are dropped with a warning (they were kept until then);
    /// - the server certificate, signed by the issuing CA or the root, matching its key, not expired.
    /// Any problem throws a `PKIError` naming the file and the reason: a trust anchor is never skipped.
    /// The root key is never read.
    public func load(now: Date = Date()) throws -> LoadedPKI {
        let authority = try loadAuthority()
        try AuthorityCheck.require(authority.certificate, in: authorityCertificateURL, now: now, code: .invalidTrustAnchor)
        let root = try loadRoot(issuing: authority, now: now)
        var warnings: [String] = []
        let previous = try loadPreviousIssuers(root: root, current: authority.certificateDER, now: now, warnings: &warnings)
        let server = try IssuedCredential(
            certificatePEM: try readText(serverCertificateURL),
            privateKeyPEM: try readPrivateKey(serverKeyURL)
        )
        guard authority.didIssue(server.certificate) || CertificateInspector.isIssued(server.certificate, by: root) else {
            throw PKIError(.notIssuedByAuthority, "\(serverCertificateURL.path) was not issued by \(authority.commonName)")
        }
        if now >= server.notValidAfter {
            throw PKIError(.certificateExpired, "\(serverCertificateURL.path) expired at \(server.notValidAfter); issue a new one")
        }
        let rootDER = try CertificateInspector.derBytes(of: root)
        let issuers = [authority.certificateDER] + previous
        let manufacturers = try loadManufacturerCAs(now: now, fleet: Set(([rootDER] + issuers).map(DERFingerprint.sha256)))
        if exists(rootKeyURL) {
            warnings.append("the root CA key \(rootKeyURL.path) is on the server: move it offline (the server does not need it)")
        }
        return LoadedPKI(
            authority: authority, server: server, fleetRootDER: rootDER, fleetIssuersDER: issuers,
            manufacturerCAs: manufacturers, warnings: warnings)
    }

    func loadAuthority() throws -> CertificateAuthority {
        do {
            return try CertificateAuthority(
                certificatePEM: try readText(authorityCertificateURL),
                privateKeyPEM: try readPrivateKey(authorityKeyURL))
        } catch let error as PKIError where error.code != .missingFile && error.code != .insecureKeyPermissions {
            throw PKIError(error.code, "\(authorityCertificateURL.lastPathComponent) / \(authorityKeyURL.path): \(error.message)")
        }
    }

    /// The root that signed `issuing`: `fleet-root.crt`, or in a single-level directory the self-signed issuing CA.
    func loadRoot(issuing: CertificateAuthority, now: Date) throws -> Certificate {
        guard !isSingleLevel else {
            guard issuing.isSelfSigned else {
                throw PKIError(.missingFile, "\(rootCertificateURL.path) is missing and \(authorityCertificateURL.path) is not self-signed")
            }
            return issuing.certificate
        }
        let root = try certificate(in: rootCertificateURL, code: .invalidTrustAnchor)
        try AuthorityCheck.require(root, in: rootCertificateURL, now: now, code: .invalidTrustAnchor)
        guard CertificateInspector.isIssued(root, by: root) else {
            throw PKIError(.invalidTrustAnchor, "\(rootCertificateURL.path): it is not self-signed")
        }
        guard issuing.certificate == root || CertificateInspector.isIssued(issuing.certificate, by: root) else {
            throw PKIError(.notIssuedByAuthority, "\(authorityCertificateURL.path) was not issued by the root in \(rootCertificateURL.path)")
        }
        return root
    }

    /// The single certificate in a PEM file; a missing, unreadable or malformed file throws `code` naming it.
    func certificate(in file: URL, code: PKIError.Code) throws -> Certificate {
        let blocks = try certificateBlocks(in: file, code: code)
        guard blocks.count == 1 else { throw PKIError(code, "\(file.path): expected one certificate, found \(blocks.count)") }
        return try CertificateInspector.parse(der: blocks[0])
    }

    /// The DER of every certificate in a PEM file (at least one), or `code` naming the file and why not.
    func certificateBlocks(in file: URL, code: PKIError.Code) throws -> [[UInt8]] {
        do {
            let text: String
            do {
                text = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw PKIError(.io, "cannot read it (\(error.localizedDescription))")
            }
            let blocks = try PEM.certificatesDER(in: text)
            guard !blocks.isEmpty else { throw PKIError(code, "no PEM certificate found") }
            for der in blocks { _ = try CertificateInspector.parse(der: der) }
            return blocks
        } catch let error as PKIError {
            throw PKIError(code, "\(file.path): \(error.message)")
        } catch {
            throw PKIError(code, "\(file.path): \(error)")
        }
    }
}
