import FleetPKI
import Foundation
import SwiftASN1
import X509
import XCTest

final class DeviceCertificateTests: XCTestCase {
    var ca: CertificateAuthority!

    override func setUpWithError() throws {
        ca = try CertificateAuthority.create(commonName: "Device Test CA")
    }

    func testDeviceCertificateProfile() async throws {
        let device = try ca.issueDeviceCertificate(serial: "BRK-000123")
        let certificate = try Certificate(derEncoded: device.certificateDER)

        // Identity: the subject is exactly CN=<serial>, nothing else, and there is no SAN.
        XCTAssertEqual(certificate.commonNames, ["BRK-000123"])
        XCTAssertEqual(certificate.subject.description, "CN=BRK-000123")
        XCTAssertEqual(device.commonName, "BRK-000123")
        XCTAssertNil(try certificate.extensions.subjectAlternativeNames)
        XCTAssertEqual(certificate.issuer, try Certificate(derEncoded: ca.certificateDER).subject)

        // Usage: TLS client only, signatures only, not a CA.
        XCTAssertEqual(try certificate.extensions.extendedKeyUsage.map(Array.init), [.clientAuth])
        let usage = try XCTUnwrap(try certificate.extensions.keyUsage)
        XCTAssertTrue(usage.digitalSignature)
        XCTAssertFalse(usage.keyCertSign)
        XCTAssertEqual(try certificate.extensions.basicConstraints, .notCertificateAuthority)
        XCTAssertEqual(
            try certificate.extensions.authorityKeyIdentifier?.keyIdentifier,
            try Certificate(derEncoded: ca.certificateDER).extensions.subjectKeyIdentifier?.keyIdentifier)

        // Credential fields agree with the certificate.
        XCTAssertEqual(device.serialNumberHex, certificate.serialNumber.bytes.map { String(format: "%02X", $0) }.joined())
        XCTAssertEqual(device.notValidAfter, certificate.notValidAfter)
        XCTAssertTrue(device.hasPrivateKey)
        XCTAssertTrue(device.privateKeyPEM.hasPrefix("-----BEGIN " + "PRIVATE KEY-----"))
        XCTAssertEqual(try PEM.derBlocks(in: device.privateKeyPEM, type: "PRIVATE KEY"), [device.privateKeyDER])
        XCTAssertEqual(try PEM.certificatesDER(in: device.certificatePEM), [device.certificateDER])
        let key = try Certificate.PrivateKey(pemEncoded: device.privateKeyPEM)
        XCTAssertEqual(key.publicKey, certificate.publicKey, "key belongs to the certificate")

        assertValid(try await validate(device.certificateDER, roots: [ca.certificateDER]))
    }

    func testFreshKeyAndSerialEveryTime() throws {
        let first = try ca.issueDeviceCertificate(serial: "BRK-1")
        let second = try ca.issueDeviceCertificate(serial: "BRK-1")
        XCTAssertNotEqual(first.privateKeyDER, second.privateKeyDER)
        XCTAssertNotEqual(first.serialNumberHex, second.serialNumberHex)
    }

    func testDeviceFromAnotherCADoesNotVerify() async throws {
        let foreign = try CertificateAuthority.create(commonName: "Device Test CA")  // same name, other key
        let device = try foreign.issueDeviceCertificate(serial: "BRK-000123")
        assertInvalid(try await validate(device.certificateDER, roots: [ca.certificateDER]))
        XCTAssertFalse(ca.didIssue(certificateDER: device.certificateDER))
        // Sanity: it does verify against its own CA, so the failure above is about trust, not the cert.
        assertValid(try await validate(device.certificateDER, roots: [foreign.certificateDER]))
    }

    func testExpiredAndNotYetValidCertificatesFailAtNow() async throws {
        let expired = try ca.issueDeviceCertificate(
            serial: "BRK-OLD1", notValidBefore: Date() - 7200, notValidAfter: Date() - 3600)
        XCTAssertLessThan(expired.notValidAfter, Date())
        assertInvalid(try await validate(expired.certificateDER, roots: [ca.certificateDER]))

        let future = try ca.issueDeviceCertificate(
            serial: "BRK-NEW1", notValidBefore: Date() + 3600, notValidAfter: Date() + 7200)
        assertInvalid(try await validate(future.certificateDER, roots: [ca.certificateDER]))
    }

    func testValidityIsClampedToTheAuthorityAndChecked() throws {
        let shortCA = try CertificateAuthority.create(commonName: "Short CA", validFor: 3600)
        let device = try shortCA.issueDeviceCertificate(serial: "BRK-0002")
        XCTAssertEqual(device.notValidAfter, shortCA.notValidAfter)
        assertThrowsPKIError(.invalidValidity) {
            try ca.issueDeviceCertificate(serial: "BRK-0003", notValidBefore: Date(), notValidAfter: Date() - 1)
        }
    }

    func testSerialMustFollowTheFleetRule() {
        for bad in ["", "abc-1234", "BRK 1", "BRK", String(repeating: "A", count: 33), "BRK-1\n", "BRK/1"] {
            assertThrowsPKIError(.invalidSerial) { try ca.issueDeviceCertificate(serial: bad) }
        }
    }

    func testServerCertificateProfile() async throws {
        let server = try ca.issueServerCertificate(
            commonName: "fleet.example", dnsNames: ["localhost", "fleet.example"], ipAddresses: ["127.0.0.1", "::1"])
        let certificate = try Certificate(derEncoded: server.certificateDER)
        let names = Array(try XCTUnwrap(try certificate.extensions.subjectAlternativeNames))
        XCTAssertTrue(names.contains(.dnsName("localhost")))
        XCTAssertTrue(names.contains(.dnsName("fleet.example")))
        XCTAssertTrue(names.contains(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))))
        XCTAssertTrue(names.contains(.ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))))
        XCTAssertEqual(try certificate.extensions.extendedKeyUsage.map(Array.init), [.serverAuth, .clientAuth])
        XCTAssertTrue(try XCTUnwrap(try certificate.extensions.keyUsage).digitalSignature)
        XCTAssertEqual(server.notValidAfter.timeIntervalSinceNow, 2 * CertificateAuthority.year, accuracy: 60)

        let caCertificate = try Certificate(derEncoded: ca.certificateDER)
        for (host, ip) in [("localhost", nil), ("fleet.example", nil), (nil, "127.0.0.1"), (nil, "::1")] as [(String?, String?)] {
            var verifier = Verifier(rootCertificates: CertificateStore([caCertificate])) {
                RFC5280Policy()
                ServerIdentityPolicy(serverHostname: host, serverIP: ip)
            }
            assertValid(await verifier.validate(leaf: certificate, intermediates: CertificateStore()))
        }
        var wrongHost = Verifier(rootCertificates: CertificateStore([caCertificate])) {
            RFC5280Policy()
            ServerIdentityPolicy(serverHostname: "evil.example", serverIP: nil)
        }
        assertInvalid(await wrongHost.validate(leaf: certificate, intermediates: CertificateStore()))
    }

    func testServerCertificateRejectsBadNames() {
        assertThrowsPKIError(.invalidName) {
            try ca.issueServerCertificate(commonName: "s", dnsNames: [], ipAddresses: ["localhost"])
        }
        assertThrowsPKIError(.invalidName) {
            try ca.issueServerCertificate(commonName: "s", dnsNames: ["bad name"], ipAddresses: [])
        }
    }
}
