import Crypto
import FleetPKI
import Foundation
import X509
import XCTest

final class CSRTests: XCTestCase {
    var ca: CertificateAuthority!

    override func setUpWithError() throws {
        ca = try CertificateAuthority.create(commonName: "CSR Test CA")
    }

    private func makeCSR(commonName: String?, key: Certificate.PrivateKey) throws -> CertificateSigningRequest {
        let subject = try DistinguishedName {
            OrganizationName("Device Maker")
            if let commonName { CommonName(commonName) }
        }
        return try CertificateSigningRequest(
            version: .v1, subject: subject, privateKey: key, attributes: .init(), signatureAlgorithm: .ecdsaWithSHA256)
    }

    func testIssuesForTheDevicesOwnKey() async throws {
        let deviceKey = P256.Signing.PrivateKey()
        let csrPEM = try makeCSR(commonName: "BRK-CSR001", key: .init(deviceKey)).serializeAsPEM().pemString

        let issued = try ca.issueDeviceCertificate(serial: "BRK-CSR001", csrPEM: csrPEM)
        let certificate = try Certificate(derEncoded: issued.certificateDER)
        XCTAssertEqual(certificate.publicKey, Certificate.PublicKey(deviceKey.publicKey), "certifies the CSR's key")
        XCTAssertEqual(certificate.subject.description, "CN=BRK-CSR001", "CA decides the subject, not the CSR")
        XCTAssertEqual(try certificate.extensions.extendedKeyUsage.map(Array.init), [.clientAuth])
        XCTAssertFalse(issued.hasPrivateKey)
        XCTAssertEqual(issued.privateKeyPEM, "")
        XCTAssertEqual(issued.privateKeyDER, [])
        assertValid(try await validate(issued.certificateDER, roots: [ca.certificateDER]))

        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        assertThrowsPKIError(.invalidPrivateKey) {
            try issued.writePEM(certificateTo: dir.appendingPathComponent("c.pem"), privateKeyTo: dir.appendingPathComponent("k.pem"))
        }
    }

    func testRefusesCommonNameMismatch() throws {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let csrPEM = try makeCSR(commonName: "BRK-OTHER1", key: key).serializeAsPEM().pemString
        assertThrowsPKIError(.csrCommonNameMismatch) { try ca.issueDeviceCertificate(serial: "BRK-CSR001", csrPEM: csrPEM) }

        let noCN = try makeCSR(commonName: nil, key: key).serializeAsPEM().pemString
        assertThrowsPKIError(.csrCommonNameMismatch) { try ca.issueDeviceCertificate(serial: "BRK-CSR001", csrPEM: noCN) }

        // Exactly: no case folding or trimming.
        let lower = try makeCSR(commonName: "brk-csr001", key: key).serializeAsPEM().pemString
        assertThrowsPKIError(.csrCommonNameMismatch) { try ca.issueDeviceCertificate(serial: "BRK-CSR001", csrPEM: lower) }
    }

    func testRefusesForgedSignatureOtherCurvesAndGarbage() throws {
        let victim = P256.Signing.PrivateKey()
        let attacker = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let signedByAttacker = try makeCSR(commonName: "BRK-CSR002", key: attacker)
        // Claims the victim's public key but carries the attacker's signature: no proof of possession.
        let forged = try CertificateSigningRequest(
            version: .v1, subject: signedByAttacker.subject, publicKey: .init(victim.publicKey),
            attributes: .init(), signatureAlgorithm: .ecdsaWithSHA256, signature: signedByAttacker.signature)
        assertThrowsPKIError(.csrSignatureInvalid) {
            try ca.issueDeviceCertificate(serial: "BRK-CSR002", csrPEM: try forged.serializeAsPEM().pemString)
        }

        let p384 = try makeCSR(commonName: "BRK-CSR002", key: .init(P384.Signing.PrivateKey()))
        assertThrowsPKIError(.unsupportedKeyType) {
            try ca.issueDeviceCertificate(serial: "BRK-CSR002", csrPEM: try p384.serializeAsPEM().pemString)
        }
        assertThrowsPKIError(.invalidCSR) { try ca.issueDeviceCertificate(serial: "BRK-CSR002", csrPEM: ca.certificatePEM) }
        assertThrowsPKIError(.invalidCSR) { try ca.issueDeviceCertificate(serial: "BRK-CSR002", csrPEM: "hello") }
    }

    func testAcceptsACSRMadeByOpenSSL() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("dev.key").path
        let csr = dir.appendingPathComponent("dev.csr").path
        let keyGen = try OpenSSLCLI.run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key])
        XCTAssertEqual(keyGen.status, 0, keyGen.output)
        let request = try OpenSSLCLI.run(["req", "-new", "-key", key, "-subj", "/CN=BRK-OSSL01", "-out", csr])
        XCTAssertEqual(request.status, 0, request.output)

        let issued = try ca.issueDeviceCertificate(
            serial: "BRK-OSSL01", csrPEM: try String(contentsOfFile: csr, encoding: .utf8))
        try write(ca.certificatePEM, to: dir.appendingPathComponent("ca.pem"))
        try write(issued.certificatePEM, to: dir.appendingPathComponent("dev.pem"))
        let verify = try OpenSSLCLI.run([
            "verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", dir.appendingPathComponent("ca.pem").path,
            dir.appendingPathComponent("dev.pem").path,
        ])
        XCTAssertEqual(verify.status, 0, verify.output)
        // And the certificate pairs with the key OpenSSL generated.
        let match = try OpenSSLCLI.run(["x509", "-in", dir.appendingPathComponent("dev.pem").path, "-noout", "-pubkey"])
        let keyPub = try OpenSSLCLI.run(["pkey", "-in", key, "-pubout"])
        XCTAssertEqual(match.stdout, keyPub.stdout)
        XCTAssertTrue(match.stdout.hasPrefix("-----BEGIN PUBLIC KEY-----"), match.output)
    }
}
