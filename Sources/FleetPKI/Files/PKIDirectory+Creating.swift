import FleetDomain
import Foundation
import X509

/// Creating the two-level fleet PKI and renewing its online parts.
extension PKIDirectory {
    /// Creates the root CA (pathLen 1, 20 years), an issuing CA under it (pathLen 0, 5 years) and a server
    /// certificate from the issuing CA. The root key goes to `rootKeyURL` (by default `fleet-root.key` here):
    /// move it offline, the server never reads it. Refuses if any CA file is already there, unless `force`
    /// (which replaces the whole PKI and orphans every device certificate issued so far).
    /// The server SAN always contains localhost, 127.0.0.1 and ::1, plus `serverNames`.
    @discardableResult
    public func initialize(
        commonName: String = "BreakerFleet Fleet CA",
        serverNames: [String] = [],
        rootKeyURL: URL? = nil,
        force: Bool = false,
        now: Date = Date()
    ) throws -> LoadedPKI {
        let rootKeyURL = rootKeyURL ?? self.rootKeyURL
        let existing = [authorityCertificateURL, authorityKeyURL, rootCertificateURL, rootKeyURL].filter(exists)
        if !force, let first = existing.first {
            throw PKIError(.authorityExists, "a fleet CA already exists in \(url.path) (\(first.lastPathComponent)); pass force to replace it")
        }
        try createDirectory(url)
        if force, exists(previousIssuersURL) { try? FileManager.default.removeItem(at: previousIssuersURL) }
        let root = try CertificateAuthority.create(
            commonName: commonName, validFor: CertificateAuthority.rootLifetime, maxPathLength: 1, now: now)
        let issuer = try root.issueSubordinateAuthority(commonName: Self.issuerName(now: now), now: now)
        let server = try issueServer(by: issuer, names: Self.defaultServerNames + serverNames, now: now)
        // Keys before certificates, the issuing CA last: `hasAuthority` only turns true once everything is written.
        try writePrivate(root.privateKeyPEM, to: rootKeyURL)
        try writePublic(root.certificatePEM, to: rootCertificateURL)
        try server.writePEM(certificateTo: serverCertificateURL, privateKeyTo: serverKeyURL)
        try writePrivate(issuer.privateKeyPEM, to: authorityKeyURL)
        try writePublic(issuer.certificatePEM, to: authorityCertificateURL)
        return try load(now: now)
    }

    /// Replaces only the server certificate and key (e.g. new host names, or the old one is expiring), signed
    /// by the issuing CA, keeping every device certificate valid. Needs no root key.
    @discardableResult
    public func renewServerCertificate(serverNames: [String] = [], now: Date = Date()) throws -> LoadedPKI {
        let server = try issueServer(by: try loadAuthority(), names: Self.defaultServerNames + serverNames, now: now)
        try server.writePEM(certificateTo: serverCertificateURL, privateKeyTo: serverKeyURL)
        return try load(now: now)
    }

    /// Makes a new issuing CA under the root (whose key is read from `rootKeyURL`, e.g. a removable disk):
    /// the current issuing CA's certificate moves to `fleet/issuers/` and stays trusted until it expires, so
    /// every device certificate issued so far keeps working; previous issuers that expired are deleted. The
    /// server certificate is issued again with the same names by the same kind of signer (the new issuing CA,
    /// or the root when the root signed it, as after `migrate`). The server picks all this up at its next start.
    @discardableResult
    public func rotateIssuer(
        rootKeyURL: URL, validFor: TimeInterval = CertificateAuthority.issuerLifetime, now: Date = Date()
    ) throws -> LoadedPKI {
        guard !isSingleLevel else {
            throw PKIError(.wrongLayout, "\(url.path) holds a single-level fleet CA: run `breakerfleet ca migrate` first")
        }
        let root = try CertificateAuthority(
            certificatePEM: try readText(rootCertificateURL), privateKeyPEM: try readPrivateKey(rootKeyURL))
        let current = try certificate(in: authorityCertificateURL, code: .invalidTrustAnchor)
        let oldServer = try certificate(in: serverCertificateURL, code: .invalidCertificate)
        let issuer = try root.issueSubordinateAuthority(commonName: Self.issuerName(now: now), validFor: validFor, now: now)
        let serverSigner = root.didIssue(oldServer) ? root : issuer
        let server = try issueServer(by: serverSigner, names: CertificateInspector.subjectAlternativeNames(of: oldServer), now: now)

        try pruneExpiredIssuers(now: now)
        let currentDER = try CertificateInspector.derBytes(of: current)
        if now < current.notValidAfter, CertificateInspector.isIssued(current, by: root.certificate) {
            let name = String(DERFingerprint.sha256Hex(currentDER).prefix(16)) + ".crt"
            try writePublic(PEM.encode(currentDER, type: "CERTIFICATE"), to: previousIssuersURL.appendingPathComponent(name))
        }
        try writePrivate(issuer.privateKeyPEM, to: authorityKeyURL)
        try writePublic(issuer.certificatePEM, to: authorityCertificateURL)
        try server.writePEM(certificateTo: serverCertificateURL, privateKeyTo: serverKeyURL)
        return try load(now: now)
    }

    // MARK: - shared with migration

    static let defaultServerNames = ["localhost", "127.0.0.1", "::1"]

    /// Issuing CAs get distinct names (OpenSSL tells them apart by key identifier, people and some TLS
    /// stacks by name): the day it was made and 32 random bits.
    static func issuerName(now: Date) -> String {
        let day = now.formatted(.iso8601.year().month().day())
        return "BreakerFleet Issuing CA \(day) \(Hex.encode((0..<4).map { _ in UInt8.random(in: .min ... .max) }))"
    }

    func issueServer(by authority: CertificateAuthority, names: [String], now: Date) throws -> IssuedCredential {
        var dnsNames: [String] = []
        var addresses: [String] = []
        for name in names {
            if CertificateProfile.ipAddressBytes(name) != nil {
                if !addresses.contains(name) { addresses.append(name) }
            } else if !dnsNames.contains(name) {
                dnsNames.append(name)
            }
        }
        return try authority.issueServerCertificate(
            commonName: "BreakerFleet Server", dnsNames: dnsNames, ipAddresses: addresses, now: now)
    }

    private func pruneExpiredIssuers(now: Date) throws {
        for name in try fileNames(in: previousIssuersURL) where name.hasSuffix(".crt") {
            let file = previousIssuersURL.appendingPathComponent(name)
            if let issuer = try? certificate(in: file, code: .invalidTrustAnchor), now >= issuer.notValidAfter {
                try? FileManager.default.removeItem(at: file)
            }
        }
    }
}
