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

    func testInitializeMakesARootAndAnIssuingCAUnderIt() async throws {
        XCTAssertFalse(directory.hasAuthority)
        let created = try directory.initialize(commonName: "Round Trip Fleet", serverNames: ["fleet.example", "10.0.0.7"])
        XCTAssertTrue(directory.hasAuthority)
        XCTAssertFalse(directory.isSingleLevel)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
        XCTAssertEqual(files, ["fleet-ca.crt", "fleet-ca.key", "fleet-root.crt", "fleet-root.key", "server.crt", "server.key"])

        let rootCertificate = try Certificate(derEncoded: created.fleetRootDER)
        XCTAssertEqual(rootCertificate.commonNames, ["Round Trip Fleet"])
        XCTAssertEqual(try rootCertificate.extensions.basicConstraints, .isCertificateAuthority(maxPathLength: 1))
        XCTAssertEqual(rootCertificate.notValidAfter.timeIntervalSinceNow, 20 * CertificateAuthority.year, accuracy: 60)
        let issuer = created.authority.certificate
        XCTAssertEqual(try issuer.extensions.basicConstraints, .isCertificateAuthority(maxPathLength: 0))
        XCTAssertEqual(issuer.issuer, rootCertificate.subject)
        XCTAssertEqual(issuer.notValidAfter.timeIntervalSinceNow, 5 * CertificateAuthority.year, accuracy: 60)
        XCTAssertEqual(created.fleetIssuersDER, [created.authority.certificateDER])
        XCTAssertEqual(created.trustedCAsDER, [created.fleetRootDER, created.authority.certificateDER])
        XCTAssertEqual(created.fleetRootPEM, try String(contentsOf: directory.rootCertificateURL, encoding: .utf8))

        let loaded = try directory.load()
        XCTAssertEqual(loaded.authority.certificateDER, created.authority.certificateDER)
        XCTAssertEqual(loaded.authority.privateKeyPEM, created.authority.privateKeyPEM)
        XCTAssertEqual(loaded.server.certificateDER, created.server.certificateDER)
        XCTAssertEqual(loaded.fleetRootDER, created.fleetRootDER)
        XCTAssertEqual(loaded.manufacturerCAs, [])
        XCTAssertTrue(loaded.warnings.contains { $0.contains("fleet-root.key") && $0.contains("offline") }, "\(loaded.warnings)")

        // The server certificate carries the default names plus the extra ones, and chains root → issuer → server.
        let server = try Certificate(derEncoded: loaded.server.certificateDER)
        let names = Array(try XCTUnwrap(try server.extensions.subjectAlternativeNames))
        XCTAssertTrue(names.contains(.dnsName("localhost")))
        XCTAssertTrue(names.contains(.dnsName("fleet.example")))
        XCTAssertEqual(names.filter { if case .ipAddress = $0 { true } else { false } }.count, 3, "\(names)")
        assertValid(try await validate(loaded.server.certificateDER, roots: [loaded.fleetRootDER], intermediates: loaded.fleetIssuersDER))
        assertInvalid(try await validate(loaded.server.certificateDER, roots: [loaded.fleetRootDER]))

        // The loaded issuing CA can still issue devices that chain to the root on disk.
        let device = try loaded.authority.issueDeviceCertificate(serial: "BRK-DIR01")
        assertValid(try await validate(device.certificateDER, roots: [created.fleetRootDER], intermediates: [loaded.authority.certificateDER]))
    }

    func testTheRootKeyGoesWhereToldAndTheServerNeedsNoRootKey() throws {
        let offline = root.appendingPathComponent("usb/fleet-root.key")
        try directory.initialize(rootKeyURL: offline)
        XCTAssertEqual(SecureFile.mode(of: offline), 0o600)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.rootKeyURL.path))
        let loaded = try directory.load()
        XCTAssertEqual(loaded.warnings, [], "nothing to warn about with the root key away")
        XCTAssertNoThrow(try loaded.authority.issueDeviceCertificate(serial: "BRK-NOROOT1"))
    }

    func testKeyFilesAreOwnerOnly() throws {
        // Even with a permissive umask the keys must come out 0600.
        let previous = umask(0)
        defer { umask(previous) }
        try directory.initialize()
        for key in [directory.authorityKeyURL, directory.serverKeyURL, directory.rootKeyURL] {
            XCTAssertEqual(SecureFile.mode(of: key), 0o600, key.lastPathComponent)
        }
        XCTAssertEqual(SecureFile.mode(of: directory.authorityCertificateURL), 0o644)
        XCTAssertEqual(SecureFile.mode(of: directory.rootCertificateURL), 0o644)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        XCTAssertFalse(files.contains { $0.hasSuffix(".tmp") }, "no temporary files left behind: \(files)")
    }

    func testInitializeTwiceNeedsForce() throws {
        let first = try directory.initialize()
        assertThrowsPKIError(.authorityExists) { try directory.initialize() }
        XCTAssertEqual(try directory.load().authority.certificateDER, first.authority.certificateDER, "untouched")

        let second = try directory.initialize(force: true)
        XCTAssertNotEqual(second.fleetRootDER, first.fleetRootDER)
        XCTAssertEqual(try directory.load().authority.certificateDER, second.authority.certificateDER)
        XCTAssertEqual(SecureFile.mode(of: directory.authorityKeyURL), 0o600, "still 0600 after overwrite")

        // A lone key (e.g. half-restored backup) also counts as an existing CA.
        try FileManager.default.removeItem(at: directory.authorityCertificateURL)
        assertThrowsPKIError(.authorityExists) { try directory.initialize() }
    }

    func testManufacturerCAsAreLoadedFromSubfolder() throws {
        let fleet = try directory.initialize()
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
        XCTAssertEqual(loaded.manufacturerCAs.map(\.der), [makerA.certificateDER, makerB1.certificateDER, makerB2.certificateDER])
        XCTAssertEqual(loaded.manufacturerCAs.map(\.name), ["Maker A Root", "Maker B Root 1", "Maker B Root 2"])
        XCTAssertEqual(loaded.manufacturerCAs.map(\.fileName), ["a.crt", "b.pem", "b.pem"])
        XCTAssertEqual(loaded.trustedCAsDER, [fleet.fleetRootDER, fleet.authority.certificateDER] + loaded.manufacturerCAs.map(\.der))
        XCTAssertEqual(try PEM.certificatesDER(in: loaded.trustBundlePEM), loaded.trustedCAsDER)

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

        // renewServerCertificate repairs it with the issuing CA alone, touching no CA.
        try FileManager.default.removeItem(at: directory.rootKeyURL)
        let renewed = try directory.renewServerCertificate(serverNames: ["new.example"])
        XCTAssertEqual(try directory.load().server.certificateDER, renewed.server.certificateDER)
        XCTAssertTrue(renewed.authority.didIssue(certificateDER: renewed.server.certificateDER))

        // A key that does not match its certificate is refused.
        try write(other.privateKeyPEM, to: directory.serverKeyURL)
        XCTAssertEqual(chmod(directory.serverKeyURL.path, 0o600), 0)
        assertThrowsPKIError(.keyMismatch) { try directory.load() }
    }
}
