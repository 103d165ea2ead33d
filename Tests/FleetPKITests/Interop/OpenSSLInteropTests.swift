import FleetPKI
import Foundation
import XCTest

/// Cross-checks against the real OpenSSL (CLI and library): libcoap's DTLS stack is OpenSSL, so
/// "swift-certificates likes it" is not enough.
final class OpenSSLInteropTests: XCTestCase {
    var ca: CertificateAuthority!
    var dir: URL!

    override func setUpWithError() throws {
        ca = try CertificateAuthority.create(commonName: "Interop CA")
        dir = try makeTemporaryDirectory()
        try write(ca.certificatePEM, to: dir.appendingPathComponent("ca.pem"))
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: dir)
    }

    private func verify(_ credential: IssuedCredential, extra: [String] = [], caFile: String = "ca.pem") throws
        -> OpenSSLCLI.Result
    {
        let leaf = dir.appendingPathComponent("leaf-\(UUID().uuidString).pem")
        try write(credential.certificatePEM, to: leaf)
        return try OpenSSLCLI.run(
            ["verify"] + extra + ["-CAfile", dir.appendingPathComponent(caFile).path, leaf.path])
    }

    func testOpenSSLVerifiesDeviceCertificate() throws {
        let device = try ca.issueDeviceCertificate(serial: "BRK-OSSL02")
        let plain = try verify(device)
        XCTAssertEqual(plain.status, 0, plain.output)
        XCTAssertTrue(plain.stdout.hasSuffix(": OK\n"), plain.output)
        // Strict RFC 5280 profile checks (AKI/SKI, critical basicConstraints on the CA, …) and the
        // TLS client purpose (EKU clientAuth, keyUsage) that a DTLS server applies to devices.
        let strict = try verify(device, extra: ["-x509_strict", "-purpose", "sslclient"])
        XCTAssertEqual(strict.status, 0, strict.output)
        // A device certificate must not be usable as a server certificate.
        let asServer = try verify(device, extra: ["-purpose", "sslserver"])
        XCTAssertNotEqual(asServer.status, 0, asServer.output)

        let subject = try OpenSSLCLI.run(["x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in",
                                          dir.appendingPathComponent("ca.pem").path])
        XCTAssertEqual(subject.stdout, "subject=CN=Interop CA,O=BreakerFleet\n")
    }

    func testOpenSSLVerifiesServerCertificateAndHostNames() throws {
        let server = try ca.issueServerCertificate(
            commonName: "BreakerFleet Server", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"])
        let strict = try verify(server, extra: ["-x509_strict", "-purpose", "sslserver", "-verify_hostname", "localhost"])
        XCTAssertEqual(strict.status, 0, strict.output)
        let ip = try verify(server, extra: ["-purpose", "sslserver", "-verify_ip", "::1"])
        XCTAssertEqual(ip.status, 0, ip.output)
        let wrongHost = try verify(server, extra: ["-verify_hostname", "evil.example"])
        XCTAssertNotEqual(wrongHost.status, 0, wrongHost.output)
    }

    func testOpenSSLRejectsForeignAndExpiredCertificates() throws {
        let foreign = try CertificateAuthority.create(commonName: "Interop CA").issueDeviceCertificate(serial: "BRK-EVIL1")
        let foreignResult = try verify(foreign)
        XCTAssertNotEqual(foreignResult.status, 0, foreignResult.output)

        let expired = try ca.issueDeviceCertificate(
            serial: "BRK-OLD2", notValidBefore: Date() - 7200, notValidAfter: Date() - 3600)
        let expiredResult = try verify(expired)
        XCTAssertNotEqual(expiredResult.status, 0, expiredResult.output)
        XCTAssertTrue(expiredResult.output.contains("expired"), expiredResult.output)
    }

    func testOpenSSLCLIAcceptsPrivateKeyDER() throws {
        let device = try ca.issueDeviceCertificate(serial: "BRK-KEY01")
        let keyURL = dir.appendingPathComponent("k.der")
        try write(device.privateKeyDER, to: keyURL)
        let result = try OpenSSLCLI.run(["pkey", "-inform", "DER", "-in", keyURL.path, "-noout"])
        XCTAssertEqual(result.status, 0, result.output)
        // The DER is PKCS#8 (the same bytes as the PEM body) and holds a P-256 key.
        let text = try OpenSSLCLI.run(["pkey", "-inform", "DER", "-in", keyURL.path, "-noout", "-text"])
        XCTAssertTrue(text.stdout.contains("NIST CURVE: P-256"), text.output)
        let asn1 = try OpenSSLCLI.run(["asn1parse", "-inform", "DER", "-in", keyURL.path])
        XCTAssertTrue(asn1.stdout.contains("id-ecPublicKey"), "PKCS#8 AlgorithmIdentifier expected:\n\(asn1.output)")

        // Negative control: the same command must reject a damaged key, or the check above proves nothing.
        try write(Array(device.privateKeyDER.dropLast(10)), to: keyURL)
        XCTAssertNotEqual(try OpenSSLCLI.run(["pkey", "-inform", "DER", "-in", keyURL.path, "-noout"]).status, 0)
    }

    func testLibSSLAcceptsCredentialDERAsLibcoapLoadsIt() throws {
        let library: LibSSL
        do {
            library = try LibSSL()
        } catch {
            return XCTFail("cannot load OpenSSL to check DER compatibility: \(error)")
        }
        let device = try ca.issueDeviceCertificate(serial: "BRK-KEY02")
        XCTAssertEqual(library.decodeECPrivateKey(device.privateKeyDER), LibSSL.evpPKeyEC,
                       "d2i_PrivateKey(EVP_PKEY_EC) must accept privateKeyDER")
        let (certificateOK, keyOK, pairOK) = library.loadIdentity(
            certificateDER: device.certificateDER, privateKeyDER: device.privateKeyDER)
        XCTAssertTrue(certificateOK, "SSL_use_certificate_ASN1")
        XCTAssertTrue(keyOK, "SSL_use_PrivateKey_ASN1(EVP_PKEY_EC)")
        XCTAssertTrue(pairOK, "SSL_check_private_key")

        let server = try ca.issueServerCertificate(commonName: "s", dnsNames: ["localhost"], ipAddresses: [])
        XCTAssertTrue(library.loadIdentity(certificateDER: server.certificateDER, privateKeyDER: server.privateKeyDER).2)

        // Negative controls: a damaged key is refused, a key from another credential does not pair.
        XCTAssertNil(library.decodeECPrivateKey(Array(device.privateKeyDER.dropLast(10))))
        XCTAssertNil(library.decodeECPrivateKey(device.certificateDER))
        let mismatched = library.loadIdentity(certificateDER: device.certificateDER, privateKeyDER: server.privateKeyDER)
        XCTAssertTrue(mismatched.0)
        // OpenSSL 3 already refuses the key in SSL_use_PrivateKey_ASN1 when it does not match the
        // loaded certificate; either refusal is fine, accepting the pair is not.
        XCTAssertFalse(mismatched.1 && mismatched.2, "OpenSSL must notice a key from another credential")
    }
}
