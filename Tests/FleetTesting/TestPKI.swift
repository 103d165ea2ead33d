import FleetPKI
import Foundation

/// PEM files a CoAP client (e.g. `coap-client-openssl -c cert -j key -C ca`) can use.
public struct DeviceFiles: Sendable {
    public let serial: String
    public let certificateURL: URL
    /// PKCS#8 PEM, mode 0600.
    public let keyURL: URL
    /// The fleet root certificate: what the client trusts to verify the *server*. For a foreign
    /// device this is still the fleet root (the client trusts the server; the server must reject it).
    public let caURL: URL
    public let credential: IssuedCredential

    public init(serial: String, certificateURL: URL, keyURL: URL, caURL: URL, credential: IssuedCredential) {
        self.serial = serial
        self.certificateURL = certificateURL
        self.keyURL = keyURL
        self.caURL = caURL
        self.credential = credential
    }
}

/// A throwaway fleet PKI in a fresh temporary directory, for tests that need real certificate files.
///
/// The directory is a genuine `PKIDirectory` (created with `initialize`), so a server under test
/// can be pointed at `directory` and load it like production. Call `remove()` in tearDown.
public struct TestPKI: Sendable {
    public let directory: URL
    public let pkiDirectory: PKIDirectory
    public let loaded: LoadedPKI
    /// A CA the fleet does not trust, for "unknown issuer" tests.
    public let foreignAuthority: CertificateAuthority

    /// A root and an issuing CA as `ca init` makes them, or with `singleLevel` the one self-signed fleet CA
    /// (root and issuer at once) of a directory made before the two-level PKI.
    public init(serverNames: [String] = [], singleLevel: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("breakerfleet-pki-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        pkiDirectory = PKIDirectory(url: directory)
        if singleLevel {
            try Self.writeSingleLevel(pkiDirectory, serverNames: serverNames)
            loaded = try pkiDirectory.load()
        } else {
            loaded = try pkiDirectory.initialize(commonName: "BreakerFleet Test CA", serverNames: serverNames)
        }
        foreignAuthority = try CertificateAuthority.create(commonName: "Untrusted Test CA", organization: "Mallory")
    }

    /// The layout `ca init` wrote before the two-level PKI: a self-signed pathLen-0 fleet CA and a server
    /// certificate it signed, nothing else.
    public static func writeSingleLevel(_ directory: PKIDirectory, serverNames: [String] = []) throws {
        let authority = try CertificateAuthority.create(commonName: "BreakerFleet Test CA")
        let server = try authority.issueServerCertificate(
            commonName: "BreakerFleet Server", dnsNames: ["localhost"] + serverNames, ipAddresses: ["127.0.0.1", "::1"])
        try server.writePEM(certificateTo: directory.serverCertificateURL, privateKeyTo: directory.serverKeyURL)
        try SecureFile.write(Array(authority.privateKeyPEM.utf8), to: directory.authorityKeyURL, mode: SecureFile.privateMode)
        try SecureFile.write(Array(authority.certificatePEM.utf8), to: directory.authorityCertificateURL, mode: SecureFile.publicMode)
    }

    /// Every CA the fleet trusts (root, issuing CA, manufacturer CAs as of the start) in one PEM file, for a
    /// reference server (`coap-server-openssl -R`; with `-C` it insists that devices share its own issuer)
    /// that must know the issuing CA to verify devices and to send it with its own certificate.
    public func trustBundleURL() throws -> URL {
        let url = directory.appendingPathComponent("trust-bundle.pem")
        try SecureFile.write(Array(loaded.trustBundlePEM.utf8), to: url, mode: SecureFile.publicMode)
        return url
    }

    /// The issuing CA: signs the server's and the devices' certificates.
    public var authority: CertificateAuthority { loaded.authority }
    /// The root certificate devices pin (in a single-level directory, the fleet CA itself).
    public var caCertificateURL: URL {
        pkiDirectory.isSingleLevel ? pkiDirectory.authorityCertificateURL : pkiDirectory.rootCertificateURL
    }
    public var serverCertificateURL: URL { pkiDirectory.serverCertificateURL }
    public var serverKeyURL: URL { pkiDirectory.serverKeyURL }

    /// A device credential signed by the fleet CA. Pass dates to make expired / not-yet-valid ones.
    public func device(_ serial: String, notValidAfter: Date? = nil, notValidBefore: Date? = nil) throws -> DeviceFiles {
        try device(serial, issuedBy: authority, folder: "devices", notValidAfter: notValidAfter, notValidBefore: notValidBefore)
    }

    /// A device credential signed by `foreignAuthority`, which the fleet does not trust.
    public func foreignDevice(_ serial: String) throws -> DeviceFiles {
        try device(serial, issuedBy: foreignAuthority, folder: "foreign", notValidAfter: nil, notValidBefore: nil)
    }

    /// Creates a manufacturer CA and installs its certificate in `manufacturers/`. Servers must
    /// re-`load()` the directory to trust it; use `device(_:issuedBy:)` for its factory certificates.
    public func addManufacturerCA(commonName: String) throws -> CertificateAuthority {
        let manufacturer = try CertificateAuthority.create(commonName: commonName, organization: commonName)
        let folder = pkiDirectory.manufacturersURL
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try SecureFile.write(
            Array(manufacturer.certificatePEM.utf8),
            to: folder.appendingPathComponent("\(UUID().uuidString).crt"),
            mode: SecureFile.publicMode)
        return manufacturer
    }

    /// A device credential signed by any CA (e.g. one from `addManufacturerCA`).
    public func device(
        _ serial: String,
        issuedBy issuer: CertificateAuthority,
        notValidAfter: Date? = nil,
        notValidBefore: Date? = nil
    ) throws -> DeviceFiles {
        try device(serial, issuedBy: issuer, folder: "issued", notValidAfter: notValidAfter, notValidBefore: notValidBefore)
    }

    /// Deletes the whole temporary directory.
    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    private func device(
        _ serial: String,
        issuedBy issuer: CertificateAuthority,
        folder: String,
        notValidAfter: Date?,
        notValidBefore: Date?
    ) throws -> DeviceFiles {
        let now = Date()
        let credential = try issuer.issueDeviceCertificate(
            serial: serial,
            notValidBefore: notValidBefore ?? now - CertificateAuthority.clockSkewAllowance,
            notValidAfter: notValidAfter ?? now + CertificateAuthority.year)
        let base = directory.appendingPathComponent(folder, isDirectory: true)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        // Unique names so the same serial can be issued twice (e.g. a valid and an expired one).
        let stem = "\(serial)-\(UUID().uuidString.prefix(8))"
        let certificateURL = base.appendingPathComponent("\(stem).crt")
        let keyURL = base.appendingPathComponent("\(stem).key")
        try credential.writePEM(certificateTo: certificateURL, privateKeyTo: keyURL)
        return DeviceFiles(
            serial: serial, certificateURL: certificateURL, keyURL: keyURL, caURL: caCertificateURL,
            credential: credential)
    }
}
