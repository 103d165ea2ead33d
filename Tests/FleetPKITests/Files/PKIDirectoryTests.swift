import FleetPKI
import Foundation
import X509
import XCTest

final class PKIDirectoryTests: XCTestCase {
    var root: URL!
    var directory: PKIDirectory!

    override func setUpWithError() throws {
        root = try makeTemporaryDirectory()
        // A not-yet-existing subfolder: initialize must create it.
        directory = PKIDirectory(url: root.appendingPathComponent("Certificates", isDirectory: true))
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: root)
    }

    func testInitializeThenLoadRoundTrips() async throws {
        XCTAssertFalse(directory.hasAuthority)
        let created = try directory.initialize(commonName: "Round Trip Fleet", serverNames: ["fleet.example", "10.0.0.7"])
        XCTAssertTrue(directory.hasAuthority)
        for file in ["fleet-ca.crt", "fleet-ca.key", "server.crt", "server.key"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: directory.url.appendingPathComponent(file).path), file)
        }

        let loaded = try directory.load()
        XCTAssertEqual(loaded.authority.certificateDER, created.authority.certificateDER)
        XCTAssertEqual(loaded.authority.privateKeyPEM, created.authority.privateKeyPEM)
        XCTAssertEqual(loaded.server.certificateDER, created.server.certificateDER)
        XCTAssertEqual(loaded.server.privateKeyDER, created.server.privateKeyDER)
        XCTAssertEqual(loaded.server.serialNumberHex, created.server.serialNumberHex)
        XCTAssertEqual(loaded.authority.commonName, "Round Trip Fleet")
        XCTAssertEqual(loaded.manufacturerCAsDER, [])
        XCTAssertEqual(loaded.trustedCAsDER, [loaded.authority.certificateDER])

        // The server certificate carries the default names plus the extra ones, classified.
        let server = try Certificate(derEncoded: loaded.server.certificateDER)
        let names = Array(try XCTUnwrap(try server.extensions.subjectAlternativeNames))
        XCTAssertTrue(names.contains(.dnsName("localhost")))
        XCTAssertTrue(names.contains(.dnsName("fleet.example")))
        XCTAssertEqual(names.filter { if case .ipAddress = $0 { true } else { false } }.count, 3, "\(names)")
        assertValid(try await validate(loaded.server.certificateDER, roots: [loaded.authority.certificateDER]))

        // The loaded CA can still issue devices that chain to the certificate on disk.
        let device = try loaded.authority.issueDeviceCertificate(serial: "BRK-DIR01")
        assertValid(try await validate(device.certificateDER, roots: [created.authority.certificateDER]))
    }

    func testKeyFilesAreOwnerOnly() throws {
        // Even with a permissive umask the keys must come out 0600.
        let previous = umask(0)
        defer { umask(previous) }
        try directory.initialize()
        XCTAssertEqual(SecureFile.mode(of: directory.authorityKeyURL), 0o600)
        XCTAssertEqual(SecureFile.mode(of: directory.serverKeyURL), 0o600)
        XCTAssertEqual(SecureFile.mode(of: directory.authorityCertificateURL), 0o644)
        // No temporary files left behind.
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
        XCTAssertEqual(files, ["fleet-ca.crt", "fleet-ca.key", "server.crt", "server.key"])
    }

    func testInitializeTwiceNeedsForce() throws {
        let first = try directory.initialize()
        assertThrowsPKIError(.authorityExists) { try directory.initialize() }
        XCTAssertEqual(try directory.load().authority.certificateDER, first.authority.certificateDER, "untouched")

        let second = try directory.initialize(force: true)
        XCTAssertNotEqual(second.authority.certificateDER, first.authority.certificateDER)
        XCTAssertEqual(try directory.load().authority.certificateDER, second.authority.certificateDER)
        XCTAssertEqual(SecureFile.mode(of: directory.authorityKeyURL), 0o600, "still 0600 after overwrite")

        // A lone key (e.g. half-restored backup) also counts as an existing CA.
        try FileManager.default.removeItem(at: directory.authorityCertificateURL)
        assertThrowsPKIError(.authorityExists) { try directory.initialize() }
    }

    func testManufacturerCAsAreLoadedFromSubfolder() throws {
        try directory.initialize()
        let makerA = try CertificateAuthority.create(commonName: "Maker A Root")
        let makerB1 = try CertificateAuthority.create(commonName: "Maker B Root 1")
        let makerB2 = try CertificateAuthority.create(commonName: "Maker B Root 2")
        try FileManager.default.createDirectory(at: directory.manufacturersURL, withIntermediateDirectories: true)
        try write(makerA.certificatePEM, to: directory.manufacturersURL.appendingPathComponent("a.crt"))
        // Several certificates in one file, with OpenSSL-style text between them.
        try write("subject=Maker B\n" + makerB1.certificatePEM + "\n" + makerB2.certificatePEM,
                  to: directory.manufacturersURL.appendingPathComponent("b.pem"))
        try write("ignored", to: directory.manufacturersURL.appendingPathComponent("README.md"))

        let loaded = try directory.load()
        XCTAssertEqual(loaded.manufacturerCAsDER, [makerA.certificateDER, makerB1.certificateDER, makerB2.certificateDER])
        XCTAssertEqual(loaded.trustedCAsDER.count, 4)
        XCTAssertEqual(try PEM.certificatesDER(in: loaded.trustBundlePEM), loaded.trustedCAsDER)
        XCTAssertEqual(try loaded.manufacturerCAsDER.map(CertificateInspector.subjectCommonName(ofCertificateDER:)),
                       ["Maker A Root", "Maker B Root 1", "Maker B Root 2"])

        try write("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                  to: directory.manufacturersURL.appendingPathComponent("c.crt"))
        assertThrowsPKIError(.invalidManufacturerCA) { try directory.load() }
    }

    func testLoadReportsMissingFilesAndMixedUpPairs() throws {
        assertThrowsPKIError(.missingFile) { try directory.load() }
        try directory.initialize()

        // A server certificate from another CA is refused.
        let other = try CertificateAuthority.create(commonName: "Other")
        let foreignServer = try other.issueServerCertificate(commonName: "s", dnsNames: ["localhost"], ipAddresses: [])
        try foreignServer.writePEM(certificateTo: directory.serverCertificateURL, privateKeyTo: directory.serverKeyURL)
        assertThrowsPKIError(.notIssuedByAuthority) { try directory.load() }

        // renewServerCertificate repairs it without touching the CA.
        let before = try CertificateAuthority(
            certificatePEM: String(contentsOf: directory.authorityCertificateURL, encoding: .utf8),
            privateKeyPEM: String(contentsOf: directory.authorityKeyURL, encoding: .utf8))
        let renewed = try directory.renewServerCertificate(serverNames: ["new.example"])
        XCTAssertEqual(renewed.authority.certificateDER, before.certificateDER)
        XCTAssertEqual(try directory.load().server.certificateDER, renewed.server.certificateDER)

        // A key that does not match its certificate is refused.
        try write(other.privateKeyPEM, to: directory.serverKeyURL)
        XCTAssertEqual(chmod(directory.serverKeyURL.path, 0o600), 0)
        assertThrowsPKIError(.keyMismatch) { try directory.load() }
    }

    func testLoadRefusesWorldReadableKeys() throws {
        try directory.initialize()
        XCTAssertEqual(chmod(directory.authorityKeyURL.path, 0o644), 0)
        assertThrowsPKIError(.insecureKeyPermissions) { try directory.load() }
        XCTAssertEqual(chmod(directory.authorityKeyURL.path, 0o600), 0)
        XCTAssertNoThrow(try directory.load())
    }
}
