import Crypto
import FleetPKI
import Foundation
import X509
import XCTest

final class CertificateAuthorityTests: XCTestCase {
    func testCreatedAuthorityIsASelfSignedCA() async throws {
        let ca = try CertificateAuthority.create(commonName: "Unit Test CA", organization: "Acme Breakers")
        let certificate = try Certificate(derEncoded: ca.certificateDER)

        XCTAssertEqual(ca.commonName, "Unit Test CA")
        XCTAssertEqual(certificate.subject, certificate.issuer, "root must be self-issued")
        XCTAssertTrue(certificate.publicKey.isValidSignature(certificate.signature, for: certificate), "self-signed")
        XCTAssertEqual(try certificate.extensions.basicConstraints, .isCertificateAuthority(maxPathLength: 0))
        XCTAssertEqual(certificate.extensions[oid: .X509ExtensionID.basicConstraints]?.critical, true)
        let usage = try XCTUnwrap(try certificate.extensions.keyUsage)
        XCTAssertTrue(usage.keyCertSign)
        XCTAssertTrue(usage.cRLSign)
        XCTAssertNotNil(try certificate.extensions.subjectKeyIdentifier)
        XCTAssertEqual(certificate.signatureAlgorithm, .ecdsaWithSHA256)
        XCTAssertNotNil(P256.Signing.PublicKey(certificate.publicKey), "fleet uses P-256 only")
        XCTAssertTrue(certificate.subject.description.contains("O=Acme Breakers"), certificate.subject.description)

        // Ten years by default, backdated a few minutes for clock skew.
        XCTAssertEqual(certificate.notValidAfter.timeIntervalSinceNow, 10 * CertificateAuthority.year, accuracy: 60)
        XCTAssertLessThan(certificate.notValidBefore, Date() - 60)

        // Serial: positive, at most 20 octets (RFC 5280 4.1.2.2).
        XCTAssertLessThanOrEqual(certificate.serialNumber.bytes.count, 20)
        XCTAssertLessThan(certificate.serialNumber.bytes.first ?? 0xFF, 0x80)
        XCTAssertEqual(ca.serialNumberHex.count, certificate.serialNumber.bytes.count * 2)

        // The root validates as its own trust anchor under RFC 5280 rules.
        assertValid(try await validate(ca.certificateDER, roots: [ca.certificateDER]))
        // ...and not against an unrelated root.
        let other = try CertificateAuthority.create(commonName: "Unit Test CA")
        assertInvalid(try await validate(ca.certificateDER, roots: [other.certificateDER]))
    }

    func testRoundTripsThroughPEM() throws {
        let ca = try CertificateAuthority.create(commonName: "Round Trip CA")
        XCTAssertTrue(ca.privateKeyPEM.hasPrefix("-----BEGIN " + "PRIVATE KEY-----\n"), "PKCS#8 PEM")
        XCTAssertTrue(ca.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))

        let loaded = try CertificateAuthority(certificatePEM: ca.certificatePEM, privateKeyPEM: ca.privateKeyPEM)
        XCTAssertEqual(loaded.certificateDER, ca.certificateDER)
        XCTAssertEqual(loaded.commonName, "Round Trip CA")
        // The reloaded key still signs certificates that chain to the original certificate.
        let device = try loaded.issueDeviceCertificate(serial: "RT-0001")
        XCTAssertTrue(ca.didIssue(certificateDER: device.certificateDER))
    }

    func testRejectsMismatchedKeyAndNonCACertificates() throws {
        let ca = try CertificateAuthority.create(commonName: "A")
        let other = try CertificateAuthority.create(commonName: "B")
        assertThrowsPKIError(.keyMismatch) {
            try CertificateAuthority(certificatePEM: ca.certificatePEM, privateKeyPEM: other.privateKeyPEM)
        }
        let device = try ca.issueDeviceCertificate(serial: "LEAF-0001")
        assertThrowsPKIError(.notACertificateAuthority) {
            try CertificateAuthority(certificatePEM: device.certificatePEM, privateKeyPEM: device.privateKeyPEM)
        }
        assertThrowsPKIError(.invalidPrivateKey) {
            try CertificateAuthority(certificatePEM: ca.certificatePEM, privateKeyPEM: "not a key")
        }
        assertThrowsPKIError(.invalidCertificate) {
            try CertificateAuthority(certificatePEM: ca.privateKeyPEM, privateKeyPEM: ca.privateKeyPEM)
        }
    }

    func testAcceptsSEC1KeyAndRejectsOtherCurves() throws {
        let ca = try CertificateAuthority.create(commonName: "SEC1 CA")
        let sec1 = try P256.Signing.PrivateKey(pemRepresentation: ca.privateKeyPEM)
        let sec1PEM = try Certificate.PrivateKey(sec1).serializeAsPEM().pemString
        // swift-crypto writes PKCS#8; build the SEC1 form via OpenSSL to cover keys made by hand.
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try write(sec1PEM, to: dir.appendingPathComponent("k.pem"))
        let converted = try OpenSSLCLI.run(["ec", "-in", dir.appendingPathComponent("k.pem").path])
        XCTAssertEqual(converted.status, 0, converted.output)
        XCTAssertTrue(converted.stdout.contains("BEGIN EC PRIVATE KEY"), converted.output)
        // With the chatter OpenSSL tools print around the block, which key files sometimes keep.
        let sec1File = "read EC key\nwriting EC key\n" + converted.stdout
        let loaded = try CertificateAuthority(certificatePEM: ca.certificatePEM, privateKeyPEM: sec1File)
        XCTAssertEqual(loaded.privateKeyPEM, ca.privateKeyPEM, "normalised back to PKCS#8")

        let p384 = try Certificate.PrivateKey(P384.Signing.PrivateKey()).serializeAsPEM().pemString
        assertThrowsPKIError(.unsupportedKeyType) {
            try CertificateAuthority(certificatePEM: ca.certificatePEM, privateKeyPEM: p384)
        }
    }

    func testRefusesBadNames() {
        assertThrowsPKIError(.invalidName) { try CertificateAuthority.create(commonName: "") }
        assertThrowsPKIError(.invalidName) { try CertificateAuthority.create(commonName: "evil\nname") }
        assertThrowsPKIError(.invalidValidity) { try CertificateAuthority.create(commonName: "X", validFor: 0) }
    }
}
