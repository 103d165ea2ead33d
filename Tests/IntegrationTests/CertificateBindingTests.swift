import FleetPKI
import FleetTesting
import Foundation
import XCTest

/// A device speaks only with the certificates bound to it: the one the fleet issued (or, for a factory
/// device, the one it first connected with), a renewed one, and a replaced one only for the overlap window.
/// Refusals happen at the handshake (asserted by the DTLS alert) and are recorded as security events.
final class CertificateBindingTests: ServerTestCase {
    private var manufacturer: CertificateAuthorityHandle!
    /// A trusted manufacturer CA that calls itself exactly what the fleet's root is called.
    private var namesake: CertificateAuthorityHandle!
    override var serverArguments: [String] { ["--certificate-overlap", "10s"] }

    override func preparePKI(_ pki: TestPKI) throws {
        manufacturer = CertificateAuthorityHandle(try pki.addManufacturerCA(commonName: "Acme Factory CA"))
        let rootName = try XCTUnwrap(try CertificateInspector.subjectCommonName(ofCertificateDER: pki.loaded.fleetRootDER))
        namesake = CertificateAuthorityHandle(try pki.addManufacturerCA(commonName: rootName))
    }

    func testACAWithTheFleetRootsNameIsOnlyAManufacturer() async throws {
        // A device it signs registers as a factory device (unassigned), not as one the fleet provisioned…
        let newcomer = CoAPClient(device: try pki.device("BRK-BND-0007", issuedBy: namesake.authority))
        let registered = try newcomer.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50)
        XCTAssertEqual(registered.code, "2.01", "\(registered)")
        XCTAssertTrue(registered.payload.contains(#""state":"unassigned""#), "\(registered)")
        // …and it cannot speak for a serial the fleet provisioned.
        _ = try await provisionedClient("BRK-BND-0008")
        let forged = CoAPClient(device: try pki.device("BRK-BND-0008", issuedBy: namesake.authority))
        let refused = try forged.send("GET", uri("/v1/time"), timeout: 3)
        XCTAssertNil(refused.code, "\(refused)")
        XCTAssertNotNil(refused.dtlsAlert, refused.output)
        try await Deadline.wait("the security event", timeout: 10) {
            try await self.securityEvents("BRK-BND-0008").contains { $0["reason"] as? String == "foreign_issuer" }
        }
    }

    private func securityEvents(_ serial: String) async throws -> [[String: Any]] {
        try await admin.get("/api/v1/security/events?serial=\(serial)").json["events"] as? [[String: Any]] ?? []
    }

    func testAManufacturerCertificateForAFleetProvisionedSerialIsRefusedAtTheHandshake() async throws {
        let serial = "BRK-BND-0001"
        let fleet = try await provisionedClient(serial)
        XCTAssertEqual(try fleet.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50).code, "2.01")

        // A trusted manufacturer CA mints a certificate for the same serial: the CN is right, the CA is not.
        let forged = CoAPClient(device: try pki.device(serial, issuedBy: manufacturer.authority))
        let refused = try forged.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50, timeout: 3)
        XCTAssertNil(refused.code, "\(refused)")
        XCTAssertNotNil(refused.dtlsAlert, "refused by a DTLS alert: \(refused.output)")

        try await Deadline.wait("the security event", timeout: 10) {
            try await self.securityEvents(serial).contains { $0["reason"] as? String == "foreign_issuer" }
        }
        let metrics = try await admin.get("/metrics").text
        XCTAssertTrue(metrics.contains(#"breakerfleet_security_refusals_total{reason="foreign_issuer"}"#), metrics)
        // The device's own certificate still works.
        XCTAssertEqual(try fleet.send("GET", uri("/v1/time")).code, "2.05")
    }

    func testASecondFleetCertificateTheServerNeverBoundIsRefused() async throws {
        let serial = "BRK-BND-0002"
        _ = try await provisionedClient(serial)
        // Signed by the fleet CA itself, but not through provisioning (a leaked CA key, a side channel).
        let unbound = CoAPClient(device: try pki.device(serial))
        let refused = try unbound.send("GET", uri("/v1/time"), timeout: 3)
        XCTAssertNil(refused.code, "\(refused)")
        XCTAssertNotNil(refused.dtlsAlert, refused.output)
        try await Deadline.wait("the security event", timeout: 10) {
            try await self.securityEvents(serial).contains { $0["reason"] as? String == "unbound_certificate" }
        }
    }

    func testAFactoryDeviceIsBoundToTheCertificateItFirstConnectedWith() async throws {
        let serial = "BRK-BND-0003"
        let first = CoAPClient(device: try pki.device(serial, issuedBy: manufacturer.authority))
        XCTAssertEqual(try first.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50).code, "2.01")
        var bound: [[String: Any]] = []
        try await Deadline.wait("the first certificate bound", timeout: 10) {
            bound = try await self.admin.get("/api/v1/devices/\(serial)/certificates").json["certificates"] as? [[String: Any]] ?? []
            return !bound.isEmpty
        }
        XCTAssertEqual(bound.count, 1)
        XCTAssertEqual(bound.first?["source"] as? String, "first_contact")
        // Another factory certificate for the same serial, even from the same manufacturer, is not it.
        let second = CoAPClient(device: try pki.device(serial, issuedBy: manufacturer.authority))
        let refused = try second.send("GET", uri("/v1/time"), timeout: 3)
        XCTAssertNil(refused.code, "\(refused)")
        XCTAssertNotNil(refused.dtlsAlert, refused.output)
    }

    func testESTRenewalBindsANewKeyAndRetiresTheOldCertificateAfterTheOverlap() async throws {
        let serial = "BRK-BND-0004"
        let old = try await provisionedClient(serial)
        XCTAssertEqual(try old.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50).code, "2.01")
        XCTAssertEqual(try old.send("POST", uri("/v1/telemetry"), payload: Self.pack(serial), contentFormat: 110).code, "2.04")

        // /crts: the CA certificates as PKCS#7 certs-only, readable by OpenSSL.
        let crts = try old.send("GET", uri("/.well-known/est/crts"))
        XCTAssertEqual(crts.code, "2.05", "\(crts)")
        let bundle = pki.directory.appendingPathComponent("crts.p7")
        try crts.payloadData.write(to: bundle)
        let printed = try OpenSSL.run(["pkcs7", "-inform", "DER", "-in", bundle.path, "-print_certs"])
        XCTAssertTrue(printed.contains("BreakerFleet Test CA"), printed)

        // A CSR with a new key, DER (application/pkcs10), CN = the serial.
        let (folder, key, csr) = try newKeyAndCSR(commonName: serial)
        let renewed = try old.send("POST", uri("/.well-known/est/sren"), contentFormat: 286, body: try Data(contentsOf: csr))
        XCTAssertEqual(renewed.code, "2.04", "\(renewed)")
        let certificate = folder.appendingPathComponent("new.crt")
        try renewed.payloadData.write(to: folder.appendingPathComponent("new.der"))
        _ = try OpenSSL.run(["x509", "-inform", "DER", "-in", folder.appendingPathComponent("new.der").path, "-out", certificate.path])
        let subject = try OpenSSL.run(["x509", "-in", certificate.path, "-noout", "-subject"])
        XCTAssertTrue(subject.contains(serial), "\(subject) \(renewed)")

        let new = CoAPClient(device: DeviceFiles(
            serial: serial, certificateURL: certificate, keyURL: key, caURL: pki.caCertificateURL, credential: old.device!.credential))
        XCTAssertEqual(try new.send("POST", uri("/v1/telemetry"), payload: Self.pack(serial, energy: 1300), contentFormat: 110).code, "2.04")
        // The same key again is refused: a renewal must bring a new key.
        let again = try new.send("POST", uri("/.well-known/est/sren"), contentFormat: 286, body: try Data(contentsOf: csr))
        XCTAssertEqual(again.code, "4.00", "\(again)")
        XCTAssertTrue(again.output.contains("already bound"), "\(again)")

        // The old certificate works during the overlap window (10 s here), then the handshake refuses it.
        try await Deadline.wait("the old certificate refused after the overlap window", timeout: 40) {
            let attempt = try old.send("GET", uri("/v1/time"), timeout: 2)
            return attempt.code == nil && attempt.dtlsAlert != nil
        }
        XCTAssertEqual(try new.send("GET", uri("/v1/time")).code, "2.05", "the new certificate keeps working")
        try await Deadline.wait("the superseded-certificate event", timeout: 10) {
            try await self.securityEvents(serial).contains { $0["reason"] as? String == "superseded_certificate" }
        }

        // Same device, same history: both packs are its telemetry, and both certificates are listed.
        try await Deadline.wait("both packs in the store", timeout: 10) {
            (try await self.admin.get("/api/v1/devices/\(serial)/telemetry").json["telemetry"] as? [Any])?.count == 2
        }
        let certificates = try await admin.get("/api/v1/devices/\(serial)/certificates").json["certificates"] as? [[String: Any]] ?? []
        XCTAssertEqual(certificates.map { $0["source"] as? String }, ["provisioned", "renewed"])
        XCTAssertNotNil(certificates.first?["superseded_at"])
        XCTAssertNil(certificates.last?["superseded_at"])
        let shown = try cli.run(["device", "show", serial])
        XCTAssertTrue(shown.output.contains("renewed"), shown.output)
    }

    func testThePreRekeyCertificateIsRefusedAfterTheOverlapWindow() async throws {
        let serial = "BRK-BND-0009"
        try await admin.addSite("bind-site", county: "140802")
        let old = try await provisionedClient(serial)
        XCTAssertEqual(try old.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50).code, "2.01")
        let (folder, key, csr) = try newKeyAndCSR(commonName: serial)
        _ = try OpenSSL.run(["req", "-in", csr.path, "-inform", "DER", "-out", folder.appendingPathComponent("new.pem").path])
        let installed = try cli.run(["device", "install", serial, "--site", "bind-site", "--circuit", "L1",
                                     "--csr", folder.appendingPathComponent("new.pem").path, "--out", folder.path])
        XCTAssertEqual(installed.status, 0, "\(installed)")
        let rekeyed = CoAPClient(device: DeviceFiles(
            serial: serial, certificateURL: folder.appendingPathComponent("\(serial).crt"), keyURL: key,
            caURL: pki.caCertificateURL, credential: old.device!.credential))
        XCTAssertEqual(try rekeyed.send("GET", uri("/v1/time")).code, "2.05", "the re-keyed certificate is bound at once")
        XCTAssertEqual(try old.send("GET", uri("/v1/time")).code, "2.05", "the old one works during the overlap window")
        try await Deadline.wait("the pre-re-key certificate refused after the window", timeout: 40) {
            let attempt = try old.send("GET", uri("/v1/time"), timeout: 2)
            return attempt.code == nil && attempt.dtlsAlert != nil
        }
        XCTAssertEqual(try rekeyed.send("GET", uri("/v1/time")).code, "2.05")
    }

    func testARenewalForAnotherSerialIsRefused() async throws {
        let serial = "BRK-BND-0005"
        let device = try await provisionedClient(serial)
        XCTAssertEqual(try device.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50).code, "2.01")
        let (_, _, csr) = try newKeyAndCSR(commonName: "BRK-BND-9999")
        let refused = try device.send("POST", uri("/.well-known/est/sren"), contentFormat: 286, body: try Data(contentsOf: csr))
        XCTAssertEqual(refused.code, "4.00", "\(refused)")
        XCTAssertTrue(refused.output.contains("BRK-BND-9999"), "the diagnostic names the CSR's CN: \(refused)")
        let plainText = try device.send("POST", uri("/.well-known/est/sren"), payload: "not a csr", contentFormat: 0)
        XCTAssertEqual(plainText.code, "4.15", "\(plainText)")
        // A device that keeps renewing (each attempt is a signature on the server) is held back: 3 per 10 minutes.
        XCTAssertEqual(try device.send("POST", uri("/.well-known/est/sren"), contentFormat: 286, body: try Data(contentsOf: csr)).code, "4.00")
        XCTAssertEqual(try device.send("POST", uri("/.well-known/est/sren"), contentFormat: 286, body: try Data(contentsOf: csr)).code, "4.00")
        let held = try device.send("POST", uri("/.well-known/est/sren"), contentFormat: 286, body: try Data(contentsOf: csr))
        XCTAssertEqual(held.code, "4.29", "\(held)")
        XCTAssertTrue(held.output.contains("renewals per 10 minutes"), "\(held)")
    }

    func testExpiringCertificatesAreListedForRenewal() async throws {
        _ = try await provisionedClient("BRK-BND-0006")
        let soon = try cli.run(["device", "list", "--cert-expiring", "3660d"])
        XCTAssertEqual(soon.status, 0, soon.output)
        XCTAssertTrue(soon.output.contains("BRK-BND-0006"), soon.output)
        let none = try cli.run(["device", "list", "--cert-expiring", "1d"])
        XCTAssertFalse(none.output.contains("BRK-BND-0006"), none.output)
    }

    /// A new P-256 key and a DER CSR for it, made by OpenSSL as a device's firmware would.
    private func newKeyAndCSR(commonName: String) throws -> (folder: URL, key: URL, csr: URL) {
        let folder = pki.directory.appendingPathComponent("csr-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let key = folder.appendingPathComponent("new.key"), csr = folder.appendingPathComponent("new.csr")
        _ = try OpenSSL.run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.path])
        _ = try OpenSSL.run(["req", "-new", "-key", key.path, "-subj", "/CN=\(commonName)", "-outform", "DER", "-out", csr.path])
        return (folder, key, csr)
    }

    private var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }
}

/// A manufacturer CA kept by a test case (set in `preparePKI`, read by the tests).
final class CertificateAuthorityHandle: @unchecked Sendable {
    // Written once in preparePKI, before any test reads it.
    let authority: CertificateAuthority
    init(_ authority: CertificateAuthority) { self.authority = authority }
}

/// The simulator's devices renew their certificates over EST when less than a fifth of their validity is left.
final class SimulatedRenewalTests: ServerTestCase {
    private var manufacturer: CertificateAuthorityHandle!

    override func preparePKI(_ pki: TestPKI) throws {
        manufacturer = CertificateAuthorityHandle(try pki.addManufacturerCA(commonName: "Acme Factory CA"))
    }

    func testADeviceWithLittleValidityLeftRenewsAndKeepsTheNewCertificate() async throws {
        let serial = "BRK-SIM-RNW1"
        // A factory certificate valid for ten days, nine of them gone: less than a fifth left.
        let now = Date()
        let factory = try pki.device(serial, issuedBy: manufacturer.authority,
                                     notValidAfter: now.addingTimeInterval(86_400), notValidBefore: now.addingTimeInterval(-9 * 86_400))
        let folder = pki.directory.appendingPathComponent("sim-renew")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: factory.certificateURL, to: folder.appendingPathComponent("\(serial).crt"))
        try FileManager.default.copyItem(at: factory.keyURL, to: folder.appendingPathComponent("\(serial).key"))
        try FileManager.default.copyItem(at: pki.caCertificateURL, to: folder.appendingPathComponent("ca.crt"))

        let run = try CLIRunner.execute(
            ["run", "--server", server.coapsURI, "--certs", folder.path, "--devices", "1", "--duration", "3", "--json"],
            product: "breaker-sim")
        XCTAssertEqual(run.status, 0, "\(run)")
        XCTAssertTrue(run.stdout.contains(#""certificates_renewed" : 1"#), run.stdout)

        // The folder now holds a fleet certificate for the same serial, bound to the device.
        let issuer = try OpenSSL.run(["x509", "-in", folder.appendingPathComponent("\(serial).crt").path, "-noout", "-issuer", "-subject"])
        XCTAssertTrue(issuer.contains("BreakerFleet Issuing CA") && issuer.contains(serial), "signed by the fleet's issuing CA: \(issuer)")
        try await Deadline.wait("the renewed certificate bound", timeout: 10) {
            let bound = try await self.admin.get("/api/v1/devices/\(serial)/certificates").json["certificates"] as? [[String: Any]] ?? []
            return bound.map { $0["source"] as? String } == ["first_contact", "renewed"]
        }
        let renewed = CoAPClient(device: DeviceFiles(
            serial: serial, certificateURL: folder.appendingPathComponent("\(serial).crt"),
            keyURL: folder.appendingPathComponent("\(serial).key"), caURL: pki.caCertificateURL, credential: factory.credential))
        XCTAssertEqual(try renewed.send("GET", uri("/v1/time")).code, "2.05")
    }
}
