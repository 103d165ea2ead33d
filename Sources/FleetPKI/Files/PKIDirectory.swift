import Foundation

/// The on-disk layout of the fleet PKI in one directory (by default the repository's `Certificates/`):
///
///     fleet-root.crt          root CA certificate: what devices pin (public; may be committed)
///     fleet-root.key          root CA key, written by `ca init`: move it offline, the server never reads it
///     fleet-ca.crt            current issuing CA certificate (signed by the root)
///     fleet-ca.key            issuing CA key, mode 0600: the only CA key the server needs
///     server.crt, server.key  CoAP server certificate and key (0600)
///     fleet/issuers/*.crt     previous issuing CA certificates, trusted until they expire
///     fleet/legacy-fleet-ca.crt  after `ca migrate`: the single-level CA certificate it replaced (not loaded)
///     manufacturers/          *.crt / *.pem certificates of trusted manufacturer CAs
///
/// A directory from before the two-level PKI has no `fleet-root.crt`: its self-signed `fleet-ca.crt` is
/// then root and issuing CA at once, and loads unchanged (`isSingleLevel`; `migrate` converts it).
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

    public var rootCertificateURL: URL { url.appendingPathComponent("fleet-root.crt") }
    /// Where `ca init` writes the root key unless told otherwise; the server never reads it.
    public var rootKeyURL: URL { url.appendingPathComponent("fleet-root.key") }
    public var authorityCertificateURL: URL { url.appendingPathComponent("fleet-ca.crt") }
    public var authorityKeyURL: URL { url.appendingPathComponent("fleet-ca.key") }
    public var serverCertificateURL: URL { url.appendingPathComponent("server.crt") }
    public var serverKeyURL: URL { url.appendingPathComponent("server.key") }
    public var previousIssuersURL: URL { url.appendingPathComponent("fleet/issuers", isDirectory: true) }
    public var legacyAuthorityURL: URL { url.appendingPathComponent("fleet/legacy-fleet-ca.crt") }
    public var manufacturersURL: URL { url.appendingPathComponent("manufacturers", isDirectory: true) }

    /// True if the issuing CA's files exist (whether they are valid is `load()`'s business).
    public var hasAuthority: Bool {
        exists(authorityCertificateURL) && exists(authorityKeyURL)
    }

    /// True for a directory made before the two-level PKI: no root certificate, `fleet-ca.crt` is its own root.
    public var isSingleLevel: Bool { !exists(rootCertificateURL) }

    // MARK: - files, shared by the extensions

    /// Reads a private key, refusing it like ssh does when group or others may read or write it.
    func readPrivateKey(_ file: URL) throws -> String {
        let text = try readText(file)
        if let mode = SecureFile.mode(of: file), mode & 0o077 != 0 {
            throw PKIError(
                .insecureKeyPermissions,
                "\(file.path) has mode \(String(mode, radix: 8)): a private key must not be readable by group or others; run chmod 600 \(file.path)")
        }
        return text
    }

    func readText(_ file: URL) throws -> String {
        guard exists(file) else {
            throw PKIError(.missingFile, "\(file.path) is missing; initialise the fleet PKI first (breakerfleet ca init)")
        }
        do {
            return try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw PKIError(.io, "cannot read \(file.path): \(error.localizedDescription)")
        }
    }

    func writePublic(_ text: String, to file: URL) throws {
        try createDirectory(file.deletingLastPathComponent())
        try SecureFile.write(Array(text.utf8), to: file, mode: SecureFile.publicMode)
    }

    func writePrivate(_ text: String, to file: URL) throws {
        try createDirectory(file.deletingLastPathComponent())
        try SecureFile.write(Array(text.utf8), to: file, mode: SecureFile.privateMode)
    }

    /// The names in a folder (sorted), [] if it does not exist.
    func fileNames(in folder: URL) throws -> [String] {
        guard exists(folder) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            throw PKIError(.io, "cannot list \(folder.path): \(error.localizedDescription)")
        }
    }

    func createDirectory(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw PKIError(.io, "cannot create \(folder.path): \(error.localizedDescription)")
        }
    }

    func exists(_ file: URL) -> Bool {
        FileManager.default.fileExists(atPath: file.path)
    }
}
