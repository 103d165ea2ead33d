import Foundation

/// The on-disk layout of the fleet PKI in one directory (by default the repository's `Certificates/`):
///
///     fleet-ca.crt      CA certificate (public; may be committed)
///     fleet-ca.key      CA private key, PKCS#8 PEM, mode 0600 (git-ignored)
///     server.crt        CoAP server certificate
///     server.key        server private key, mode 0600
///     manufacturers/    optional *.crt / *.pem files of extra trusted CA certificates
///
/// Files are the interface (rather than a database) because libcoap, coap-client and operators
/// all already speak PEM files.
public struct PKIDirectory: Sendable {
    public static let defaultDirectoryName = "Certificates"

    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    /// `Certificates/` under the current working directory (the repository root when run from there).
    public static var inCurrentDirectory: PKIDirectory {
        PKIDirectory(url: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent(defaultDirectoryName, isDirectory: true))
    }

    public var authorityCertificateURL: URL { url.appendingPathComponent("fleet-ca.crt") }
    public var authorityKeyURL: URL { url.appendingPathComponent("fleet-ca.key") }
    public var serverCertificateURL: URL { url.appendingPathComponent("server.crt") }
    public var serverKeyURL: URL { url.appendingPathComponent("server.key") }
    public var manufacturersURL: URL { url.appendingPathComponent("manufacturers", isDirectory: true) }

    /// True if both CA files exist (whether they are valid is `load()`'s business).
    public var hasAuthority: Bool {
        exists(authorityCertificateURL) && exists(authorityKeyURL)
    }

    /// Creates the CA and a server certificate. Refuses if a CA certificate or key is already
    /// there, unless `force` (rotating the CA orphans every device certificate it issued).
    /// The server SAN always contains localhost, 127.0.0.1 and ::1, plus `serverNames`
    /// (each classified as an IP address or a DNS name).
    @discardableResult
    public func initialize(
        commonName: String = "BreakerFleet Fleet CA",
        serverNames: [String] = [],
        force: Bool = false,
        now: Date = Date()
    ) throws -> LoadedPKI {
        if !force, exists(authorityCertificateURL) || exists(authorityKeyURL) {
            throw PKIError(.authorityExists, "a fleet CA already exists in \(url.path); pass force to replace it")
        }
        try createDirectory()
        let authority = try CertificateAuthority.create(commonName: commonName, now: now)
        let server = try issueServer(by: authority, extraNames: serverNames, now: now)
        // Key before certificate, CA last: `hasAuthority` only turns true once everything is written.
        try server.writePEM(certificateTo: serverCertificateURL, privateKeyTo: serverKeyURL)
        try SecureFile.write(Array(authority.privateKeyPEM.utf8), to: authorityKeyURL, mode: SecureFile.privateMode)
        try SecureFile.write(Array(authority.certificatePEM.utf8), to: authorityCertificateURL, mode: SecureFile.publicMode)
        return LoadedPKI(authority: authority, server: server, manufacturerCAsDER: try loadManufacturerCAs())
    }

    /// Replaces only the server certificate and key (e.g. new host names, or the old one is
    /// expiring), keeping the CA and therefore every device certificate valid.
    @discardableResult
    public func renewServerCertificate(serverNames: [String] = [], now: Date = Date()) throws -> LoadedPKI {
        let authority = try loadAuthority()
        let server = try issueServer(by: authority, extraNames: serverNames, now: now)
        try server.writePEM(certificateTo: serverCertificateURL, privateKeyTo: serverKeyURL)
        return LoadedPKI(authority: authority, server: server, manufacturerCAsDER: try loadManufacturerCAs())
    }

    /// Reads and cross-checks everything: the CA key matches the CA certificate, the server
    /// certificate was signed by this CA and matches its key, and key files are not accessible to
    /// other users.
    public func load() throws -> LoadedPKI {
        let authority = try loadAuthority()
        let server = try IssuedCredential(
            certificatePEM: try readText(serverCertificateURL),
            privateKeyPEM: try readPrivateKey(serverKeyURL)
        )
        guard authority.didIssue(certificateDER: server.certificateDER) else {
            throw PKIError(.notIssuedByAuthority, "\(serverCertificateURL.path) was not issued by \(authority.commonName)")
        }
        return LoadedPKI(authority: authority, server: server, manufacturerCAsDER: try loadManufacturerCAs())
    }

    /// All certificates in `manufacturers/*.crt|*.pem`, sorted by file name; [] if the folder is absent.
    public func loadManufacturerCAs() throws -> [[UInt8]] {
        guard exists(manufacturersURL) else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: manufacturersURL.path)
        } catch {
            throw PKIError(.io, "cannot list \(manufacturersURL.path): \(error)")
        }
        var result: [[UInt8]] = []
        for name in names.sorted() where name.hasSuffix(".crt") || name.hasSuffix(".pem") {
            let file = manufacturersURL.appendingPathComponent(name)
            do {
                let blocks = try PEM.certificatesDER(in: try readText(file))
                guard !blocks.isEmpty else { throw PKIError(.invalidManufacturerCA, "no PEM certificate found") }
                for der in blocks { _ = try CertificateInspector.parse(der: der) }
                result += blocks
            } catch {
                // A trust anchor we cannot read is a configuration error, not something to skip.
                let reason = (error as? PKIError)?.message ?? "\(error)"
                throw PKIError(.invalidManufacturerCA, "\(file.path): \(reason)")
            }
        }
        return result
    }

    // MARK: - private

    private func issueServer(by authority: CertificateAuthority, extraNames: [String], now: Date) throws -> IssuedCredential {
        var dnsNames = ["localhost"]
        var addresses = ["127.0.0.1", "::1"]
        for name in extraNames {
            if CertificateProfile.ipAddressBytes(name) != nil {
                if !addresses.contains(name) { addresses.append(name) }
            } else if !dnsNames.contains(name) {
                dnsNames.append(name)
            }
        }
        return try authority.issueServerCertificate(
            commonName: "BreakerFleet Server", dnsNames: dnsNames, ipAddresses: addresses, now: now)
    }

    private func loadAuthority() throws -> CertificateAuthority {
        try CertificateAuthority(
            certificatePEM: try readText(authorityCertificateURL),
            privateKeyPEM: try readPrivateKey(authorityKeyURL)
        )
    }

    private func readPrivateKey(_ file: URL) throws -> String {
        let text = try readText(file)
        // Like ssh: refuse a key others can read, it may already be compromised. Group access is
        // tolerated for deployments that share keys with a service group.
        if let mode = SecureFile.mode(of: file), mode & 0o007 != 0 {
            throw PKIError(
                .insecureKeyPermissions,
                "\(file.path) has mode \(String(mode, radix: 8)); run chmod 600 on it")
        }
        return text
    }

    private func readText(_ file: URL) throws -> String {
        guard exists(file) else {
            throw PKIError(.missingFile, "\(file.path) is missing; initialise the fleet PKI first")
        }
        do {
            return try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw PKIError(.io, "cannot read \(file.path): \(error)")
        }
    }

    private func createDirectory() throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw PKIError(.io, "cannot create \(url.path): \(error)")
        }
    }

    private func exists(_ file: URL) -> Bool {
        FileManager.default.fileExists(atPath: file.path)
    }
}
