import FleetPKI
import FleetTesting
import Foundation
import X509
import XCTest

/// The shared test helper is used by the integration tests with coap-client-openssl, so check the
/// files it hands out with OpenSSL too.
final class TestPKITests: XCTestCase {
    func testDeviceFilesVerifyWithOpenSSLAndForeignOnesDoNot() throws {
        let pki = try TestPKI()
        defer { pki.remove() }

        let device = try pki.device("BRK-TEST01")
        XCTAssertEqual(device.caURL, pki.caCertificateURL)
        XCTAssertEqual(SecureFile.mode(of: device.keyURL), 0o600)
        // Devices pin the root; the issuing CA comes with the chain (the server sends it, here -untrusted).
        let issuer = pki.pkiDirectory.authorityCertificateURL.path
        let ok = try OpenSSLCLI.run(["verify", "-purpose", "sslclient", "-CAfile", device.caURL.path, "-untrusted", issuer, device.certificateURL.path])
        XCTAssertEqual(ok.status, 0, ok.output)
        let keyCheck = try OpenSSLCLI.run(["pkey", "-in", device.keyURL.path, "-noout"])
        XCTAssertEqual(keyCheck.status, 0, keyCheck.output)
        let subject = try OpenSSLCLI.run(["x509", "-noout", "-subject", "-in", device.certificateURL.path])
        XCTAssertEqual(subject.stdout, "subject=CN = BRK-TEST01\n")

        let foreign = try pki.foreignDevice("BRK-TEST01")
        XCTAssertEqual(foreign.caURL, pki.caCertificateURL, "client still trusts the fleet server")
        let refused = try OpenSSLCLI.run(["verify", "-CAfile", foreign.caURL.path, "-untrusted", issuer, foreign.certificateURL.path])
        XCTAssertNotEqual(refused.status, 0, refused.output)

        let expired = try pki.device("BRK-TEST01", notValidAfter: Date() - 60, notValidBefore: Date() - 3600)
        XCTAssertNotEqual(expired.certificateURL, device.certificateURL, "same serial, separate files")
        let expiredResult = try OpenSSLCLI.run(["verify", "-CAfile", expired.caURL.path, "-untrusted", issuer, expired.certificateURL.path])
        XCTAssertNotEqual(expiredResult.status, 0, expiredResult.output)

        // The server files are where PKIDirectory says and load cleanly.
        let loaded = try PKIDirectory(url: pki.directory).load()
        XCTAssertEqual(loaded.server.certificateDER, pki.loaded.server.certificateDER)
        XCTAssertEqual(SecureFile.mode(of: pki.serverKeyURL), 0o600)
    }

    func testManufacturerCAAndRemoval() throws {
        let pki = try TestPKI()
        let maker = try pki.addManufacturerCA(commonName: "Maker Root")
        let factory = try pki.device("BRK-TEST02", issuedBy: maker)
        let loaded = try pki.pkiDirectory.load()
        XCTAssertEqual(loaded.manufacturerCAs.map(\.der), [maker.certificateDER])
        XCTAssertEqual(loaded.manufacturerCAs.map(\.name), ["Maker Root"])
        XCTAssertTrue(maker.didIssue(certificateDER: factory.credential.certificateDER))

        pki.remove()
        XCTAssertFalse(FileManager.default.fileExists(atPath: pki.directory.path))
    }
}
