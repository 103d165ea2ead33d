import FleetPKI
import FleetTesting
import Foundation
import X509
import XCTest

/// A directory made by the single-level `ca init` from before keeps loading unchanged, and `migrate` turns
/// it into root + issuing CA without invalidating anything it issued or breaking devices' view of the server.
final class MigrationTests: XCTestCase {
    var folder: URL!
    var directory: PKIDirectory!

    override func setUpWithError() throws {
        folder = try makeTemporaryDirectory()
        directory = PKIDirectory(url: folder.appendingPathComponent("Certificates"))
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        try TestPKI.writeSingleLevel(directory)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private func opensslVerify(_ leafPEM: String, root: String, untrusted: [[UInt8]] = [], purpose: String) throws -> OpenSSLCLI.Result {
        let stem = folder.appendingPathComponent(UUID().uuidString).path
        try write(leafPEM, to: URL(fileURLWithPath: stem + "-leaf.pem"))
        try write(root, to: URL(fileURLWithPath: stem + "-root.pem"))
        var arguments = ["verify", "-x509_strict", "-purpose", purpose, "-CAfile", stem + "-root.pem"]
        if !untrusted.isEmpty {
            try write(untrusted.map { PEM.encode($0, type: "CERTIFICATE") }.joined(), to: URL(fileURLWithPath: stem + "-chain.pem"))
            arguments += ["-untrusted", stem + "-chain.pem"]
        }
        return try OpenSSLCLI.run(arguments + [stem + "-leaf.pem"])
    }

    func testASingleLevelDirectoryLoadsAsItsOwnRootAndIssuer() throws {
        XCTAssertTrue(directory.isSingleLevel)
        let loaded = try directory.load()
        XCTAssertEqual(loaded.fleetRootDER, loaded.authority.certificateDER)
        XCTAssertEqual(loaded.fleetIssuersDER, [loaded.authority.certificateDER])
        XCTAssertEqual(loaded.trustedCAsDER, [loaded.authority.certificateDER], "the old CA once, not twice")
        XCTAssertEqual(loaded.fleetRootPEM, loaded.authority.certificatePEM)
        XCTAssertEqual(loaded.warnings, [])
    }

    func testMigrationKeepsEveryIssuedCertificateAndTheServerVerifiableWithTheOldCA() async throws {
        let old = try directory.load()
        let oldCAPEM = old.authority.certificatePEM
        let oldDevice = try old.authority.issueDeviceCertificate(serial: "BRK-MIG0001")

        let migration = try directory.migrate()
        let new = migration.loaded
        XCTAssertFalse(directory.isSingleLevel)
        XCTAssertEqual(migration.rootKeyURL, directory.rootKeyURL)
        XCTAssertEqual(SecureFile.mode(of: directory.rootKeyURL), 0o600)
        XCTAssertEqual(try String(contentsOf: directory.legacyAuthorityURL, encoding: .utf8), oldCAPEM)

        let root = try Certificate(derEncoded: new.fleetRootDER)
        let oldCA = try Certificate(derEncoded: old.authority.certificateDER)
        XCTAssertEqual(root.subject, oldCA.subject, "same name")
        XCTAssertEqual(root.publicKey, oldCA.publicKey, "same key")
        XCTAssertEqual(try root.extensions.basicConstraints, .isCertificateAuthority(maxPathLength: 1))
        XCTAssertNotEqual(new.authority.certificateDER, old.authority.certificateDER, "a new issuing CA")
        XCTAssertFalse(new.trustedCAsDER.contains(old.authority.certificateDER), "the pathLen-0 certificate is not trusted any more")

        // Device certificates from before and after verify against the new root.
        let newDevice = try new.authority.issueDeviceCertificate(serial: "BRK-MIG0002")
        for device in [oldDevice, newDevice] {
            assertValid(try await validate(device.certificateDER, roots: [new.fleetRootDER], intermediates: new.fleetIssuersDER))
            let openssl = try opensslVerify(device.certificatePEM, root: new.fleetRootPEM, untrusted: new.fleetIssuersDER, purpose: "sslclient")
            XCTAssertEqual(openssl.status, 0, openssl.output)
        }
        // A device that pinned the old CA certificate still verifies the server (the root signed it) ...
        let server = try opensslVerify(new.server.certificatePEM, root: oldCAPEM, purpose: "sslserver")
        XCTAssertEqual(server.status, 0, server.output)
        // ... and a device given the new root does too.
        let serverNew = try opensslVerify(new.server.certificatePEM, root: new.fleetRootPEM, purpose: "sslserver")
        XCTAssertEqual(serverNew.status, 0, serverNew.output)

        // It loads again as a two-level directory, and is not migrated twice.
        XCTAssertEqual(try directory.load().fleetRootDER, new.fleetRootDER)
        assertThrowsPKIError(.wrongLayout) { try directory.migrate() }

        // Rotating afterwards keeps the server certificate under the root, for the devices that pinned the old CA.
        let rotated = try directory.rotateIssuer(rootKeyURL: directory.rootKeyURL)
        let stillServer = try opensslVerify(rotated.server.certificatePEM, root: oldCAPEM, purpose: "sslserver")
        XCTAssertEqual(stillServer.status, 0, stillServer.output)
        assertValid(try await validate(oldDevice.certificateDER, roots: [rotated.fleetRootDER], intermediates: rotated.fleetIssuersDER))
    }
}
