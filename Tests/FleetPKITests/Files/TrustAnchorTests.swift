import Crypto
@testable import FleetPKI
import Foundation
import SwiftASN1
import X509
import XCTest

/// Every CA the server trusts is checked at load, identified by fingerprint, and a bad one stops the load
/// naming the file and the reason: tried as someone who can drop files into `Certificates/` would.
final class TrustAnchorTests: XCTestCase {
    var folder: URL!
    var directory: PKIDirectory!
    var fleet: LoadedPKI!

    override func setUpWithError() throws {
        folder = try makeTemporaryDirectory()
        directory = PKIDirectory(url: folder)
        fleet = try directory.initialize(commonName: "BreakerFleet Fleet CA")
        try FileManager.default.createDirectory(at: directory.manufacturersURL, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: folder)
    }

    private func dropManufacturer(_ pem: String, as name: String) throws -> URL {
        let file = directory.manufacturersURL.appendingPathComponent(name)
        try write(pem, to: file)
        return file
    }

    /// Loading fails with `code`, and the message names `file` and contains `reason`.
    private func assertLoadRefused(
        _ code: PKIError.Code, naming file: URL, because reason: String, now: Date = Date(),
        line: UInt = #line
    ) {
        XCTAssertThrowsError(try directory.load(now: now), line: line) { error in
            guard let error = error as? PKIError else { return XCTFail("\(error)", line: line) }
            XCTAssertEqual(error.code, code, error.message, line: line)
            XCTAssertTrue(error.message.contains(file.path), "names the file: \(error.message)", line: line)
            XCTAssertTrue(error.message.contains(reason), "says why: \(error.message)", line: line)
        }
    }

    func testAManufacturerCAWithTheFleetCAsNameIsJustAnotherManufacturerCA() throws {
        let impostor = try CertificateAuthority.create(commonName: "BreakerFleet Fleet CA", organization: "BreakerFleet")
        _ = try dropManufacturer(impostor.certificatePEM, as: "impostor.crt")
        let loaded = try directory.load()
        XCTAssertEqual(loaded.manufacturerCAs.map(\.der), [impostor.certificateDER], "loaded as a manufacturer CA")
        XCTAssertEqual(loaded.manufacturerCAs.first?.name, "BreakerFleet Fleet CA", "same name")
        XCTAssertEqual(try CertificateInspector.subjectCommonName(ofCertificateDER: loaded.fleetRootDER), "BreakerFleet Fleet CA")
        XCTAssertFalse(loaded.fleetFingerprints.contains(impostor.fingerprint), "but not one of the fleet's CAs")
        XCTAssertNotEqual(loaded.manufacturerCAs.first?.fingerprint, DERFingerprint.sha256(loaded.fleetRootDER))
        // What it signs for a fleet serial is a manufacturer's certificate: it does not chain to the fleet root.
        let forged = try impostor.issueDeviceCertificate(serial: "BRK-0001")
        XCTAssertFalse(loaded.authority.didIssue(certificateDER: forged.certificateDER))
        XCTAssertTrue(impostor.didIssue(certificateDER: forged.certificateDER))
    }

    func testAFleetCACopiedIntoManufacturersIsRefused() throws {
        let file = try dropManufacturer(fleet.fleetRootPEM, as: "copy.crt")
        assertLoadRefused(.invalidManufacturerCA, naming: file, because: "one of the fleet's own CA certificates")
    }

    func testANonCACertificateInManufacturersStopsTheLoad() throws {
        let leaf = try fleet.authority.issueDeviceCertificate(serial: "BRK-LEAF01")
        let file = try dropManufacturer(leaf.certificatePEM, as: "leaf.crt")
        assertLoadRefused(.invalidManufacturerCA, naming: file, because: "not a CA (basicConstraints CA:FALSE)")
    }

    func testAnExpiredOrNotYetValidManufacturerCAStopsTheLoad() throws {
        let maker = try CertificateAuthority.create(commonName: "Maker", validFor: 3600, now: Date())
        let file = try dropManufacturer(maker.certificatePEM, as: "maker.crt")
        XCTAssertNoThrow(try directory.load(now: Date()))
        assertLoadRefused(.invalidManufacturerCA, naming: file, because: "expired at", now: Date() + 7200)

        let future = try CertificateAuthority.create(commonName: "Maker", now: Date() + 86_400)
        try write(future.certificatePEM, to: file)
        assertLoadRefused(.invalidManufacturerCA, naming: file, because: "not valid before")
    }

    func testACACertificateWithoutKeyCertSignOrBasicConstraintsStopsTheLoad() throws {
        let noKeyCertSign = try Self.selfSigned("No keyCertSign", try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            Critical(KeyUsage(digitalSignature: true))
        })
        let file = try dropManufacturer(noKeyCertSign, as: "a.crt")
        assertLoadRefused(.invalidManufacturerCA, naming: file, because: "lacks keyCertSign")

        let noConstraints = try Self.selfSigned("No basicConstraints", try Certificate.Extensions { Critical(KeyUsage(keyCertSign: true)) })
        try write(noConstraints, to: file)
        assertLoadRefused(.invalidManufacturerCA, naming: file, because: "no basicConstraints")

        let noKeyUsage = try Self.selfSigned(
            "No keyUsage", try Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil)) })
        try write(noKeyUsage, to: file)
        assertLoadRefused(.invalidManufacturerCA, naming: file, because: "no keyUsage")
    }

    func testAnUnreadableOrEmptyAnchorFileStopsTheLoad() throws {
        let dangling = directory.manufacturersURL.appendingPathComponent("gone.crt")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: "/nonexistent/ca.crt")
        assertLoadRefused(.invalidManufacturerCA, naming: dangling, because: "cannot read it")
        try FileManager.default.removeItem(at: dangling)

        let empty = try dropManufacturer("not a certificate\n", as: "empty.pem")
        assertLoadRefused(.invalidManufacturerCA, naming: empty, because: "no PEM certificate found")
    }

    func testTheFleetsOwnCAsAreCheckedToo() throws {
        // A root that is no CA: replace fleet-root.crt by a leaf.
        let leaf = try fleet.authority.issueDeviceCertificate(serial: "BRK-LEAF02")
        try write(leaf.certificatePEM, to: directory.rootCertificateURL)
        assertLoadRefused(.invalidTrustAnchor, naming: directory.rootCertificateURL, because: "not a CA")
        try write(fleet.fleetRootPEM, to: directory.rootCertificateURL)

        // Past the issuing CA's expiry the load stops, naming it.
        let later = fleet.authority.notValidAfter + 60
        assertLoadRefused(.invalidTrustAnchor, naming: directory.authorityCertificateURL, because: "expired at", now: later)
    }

    func testKeyFilesReadableByGroupOrOthersAreRefused() throws {
        for key in [directory.serverKeyURL, directory.authorityKeyURL] {
            for mode: mode_t in [0o640, 0o604, 0o660] {
                XCTAssertEqual(chmod(key.path, mode), 0)
                assertLoadRefused(.insecureKeyPermissions, naming: key, because: "mode \(String(mode, radix: 8))")
                assertLoadRefused(.insecureKeyPermissions, naming: key, because: "chmod 600")
            }
            XCTAssertEqual(chmod(key.path, 0o600), 0)
            XCTAssertEqual(chmod(key.path, 0o400), 0)
            XCTAssertNoThrow(try directory.load(), "owner-only is fine")
        }
    }

    func testFingerprintsAreSHA256OfTheDERAsOpenSSLPrintsThem() throws {
        let result = try OpenSSLCLI.run(["x509", "-noout", "-fingerprint", "-sha256", "-in", directory.rootCertificateURL.path])
        XCTAssertEqual(result.status, 0, result.output)
        let printed = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(DERFingerprint.parse(printed), DERFingerprint.sha256(fleet.fleetRootDER), printed)
        let hex = DERFingerprint.sha256Hex(fleet.fleetRootDER)
        XCTAssertEqual(hex.count, 64)
        XCTAssertEqual(hex, hex.lowercased())
        XCTAssertEqual(printed.split(separator: "=").last.map { $0.replacingOccurrences(of: ":", with: "").lowercased() }, hex)
        XCTAssertEqual(DERFingerprint.parse(hex.uppercased()), DERFingerprint.parse("sha256:" + hex))
        XCTAssertNil(DERFingerprint.parse(String(hex.dropLast())))
        XCTAssertNil(DERFingerprint.parse(String(hex.dropLast(2)) + "+f"))
    }

    /// A self-signed P-256 certificate with the given extensions, as PEM.
    static func selfSigned(_ name: String, _ extensions: Certificate.Extensions) throws -> String {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date() - 60, notValidAfter: Date() + 86_400, issuer: subject, subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
            issuerPrivateKey: .init(key))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return PEM.encode(serializer.serializedBytes, type: "CERTIFICATE")
    }
}
