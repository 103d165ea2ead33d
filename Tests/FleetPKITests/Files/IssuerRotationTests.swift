import FleetPKI
import FleetTesting
import Foundation
import X509
import XCTest

/// `rotateIssuer`: a new issuing CA under the same root, and every device certificate issued before keeps
/// verifying (swift-certificates and the OpenSSL CLI), while the server needs no root key.
final class IssuerRotationTests: XCTestCase {
    var folder: URL!
    var directory: PKIDirectory!
    var offlineKey: URL!

    override func setUpWithError() throws {
        folder = try makeTemporaryDirectory()
        directory = PKIDirectory(url: folder.appendingPathComponent("Certificates"))
        offlineKey = folder.appendingPathComponent("offline/fleet-root.key")
        try directory.initialize(serverNames: ["fleet.example"], rootKeyURL: offlineKey)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private func opensslVerify(_ leaf: IssuedCredential, untrusted: [[UInt8]], root: [UInt8]) throws -> OpenSSLCLI.Result {
        let stem = folder.appendingPathComponent(UUID().uuidString).path
        try write(leaf.certificatePEM, to: URL(fileURLWithPath: stem + "-leaf.pem"))
        try write(untrusted.map { PEM.encode($0, type: "CERTIFICATE") }.joined(), to: URL(fileURLWithPath: stem + "-chain.pem"))
        try write(PEM.encode(root, type: "CERTIFICATE"), to: URL(fileURLWithPath: stem + "-root.pem"))
        return try OpenSSLCLI.run(["verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", stem + "-root.pem",
                                   "-untrusted", stem + "-chain.pem", stem + "-leaf.pem"])
    }

    func testDevicesIssuedBeforeAndAfterARotationBothChainToTheSameRoot() async throws {
        let before = try directory.load()
        let oldDevice = try before.authority.issueDeviceCertificate(serial: "BRK-ROT0001")

        let after = try directory.rotateIssuer(rootKeyURL: offlineKey)
        XCTAssertEqual(after.fleetRootDER, before.fleetRootDER, "same root")
        XCTAssertNotEqual(after.authority.certificateDER, before.authority.certificateDER, "new issuing CA")
        XCTAssertEqual(after.fleetIssuersDER, [after.authority.certificateDER, before.authority.certificateDER],
                       "the current issuer first, then the previous one")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.previousIssuersURL.path).count, 1)
        let newDevice = try after.authority.issueDeviceCertificate(serial: "BRK-ROT0002")

        // What the server loads after the rotation trusts both.
        let reloaded = try directory.load()
        XCTAssertEqual(reloaded.trustedCAsDER, [before.fleetRootDER, after.authority.certificateDER, before.authority.certificateDER])
        for device in [oldDevice, newDevice] {
            assertValid(try await validate(device.certificateDER, roots: [reloaded.fleetRootDER], intermediates: reloaded.fleetIssuersDER))
            let openssl = try opensslVerify(device, untrusted: reloaded.fleetIssuersDER, root: reloaded.fleetRootDER)
            XCTAssertEqual(openssl.status, 0, openssl.output)
        }
        // The server certificate was issued again by the new issuing CA, with the same names.
        XCTAssertTrue(after.authority.didIssue(certificateDER: reloaded.server.certificateDER))
        let names = Array(try XCTUnwrap(try Certificate(derEncoded: reloaded.server.certificateDER).extensions.subjectAlternativeNames))
        XCTAssertTrue(names.contains(.dnsName("fleet.example")), "\(names)")
        XCTAssertEqual(names.count, 4, "\(names)")

        // A second rotation keeps both previous issuers.
        let third = try directory.rotateIssuer(rootKeyURL: offlineKey)
        XCTAssertEqual(third.fleetIssuersDER.count, 3)
    }

    func testAPreviousIssuerThatExpiredIsDroppedWithAWarning() throws {
        let first = try directory.load()
        let shortLived = try directory.rotateIssuer(rootKeyURL: offlineKey, validFor: 30 * 86_400)
        _ = try directory.rotateIssuer(rootKeyURL: offlineKey)
        let later = Date() + 60 * 86_400
        let loaded = try directory.load(now: later)
        XCTAssertFalse(loaded.fleetIssuersDER.contains(shortLived.authority.certificateDER))
        XCTAssertTrue(loaded.fleetIssuersDER.contains(first.authority.certificateDER))
        XCTAssertTrue(loaded.warnings.contains { $0.contains("expired") && $0.contains("no longer trusted") }, "\(loaded.warnings)")
    }

    func testRotationNeedsTheRootKeyAndTwoLevels() throws {
        let wrongKey = folder.appendingPathComponent("wrong.key")
        try write(try CertificateAuthority.create(commonName: "Other").privateKeyPEM, to: wrongKey)
        XCTAssertEqual(chmod(wrongKey.path, 0o600), 0)
        assertThrowsPKIError(.keyMismatch) { try directory.rotateIssuer(rootKeyURL: wrongKey) }
        XCTAssertEqual(chmod(offlineKey.path, 0o644), 0)
        assertThrowsPKIError(.insecureKeyPermissions) { try directory.rotateIssuer(rootKeyURL: offlineKey) }

        let old = PKIDirectory(url: folder.appendingPathComponent("old"))
        try FileManager.default.createDirectory(at: old.url, withIntermediateDirectories: true)
        try TestPKI.writeSingleLevel(old)
        assertThrowsPKIError(.wrongLayout) { try old.rotateIssuer(rootKeyURL: offlineKey) }
    }

    func testAPreviousIssuerNotSignedByTheRootStopsTheLoad() throws {
        let stranger = try CertificateAuthority.create(commonName: "Stranger")
        try FileManager.default.createDirectory(at: directory.previousIssuersURL, withIntermediateDirectories: true)
        let file = directory.previousIssuersURL.appendingPathComponent("stranger.crt")
        try write(stranger.certificatePEM, to: file)
        XCTAssertThrowsError(try directory.load()) { error in
            XCTAssertEqual((error as? PKIError)?.code, .invalidTrustAnchor)
            XCTAssertTrue("\(error)".contains(file.path), "\(error)")
        }
    }
}
