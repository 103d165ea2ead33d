import FleetPKI
import FleetTesting
import Foundation
import XCTest

/// The two-level fleet PKI against a real `breakerfleet serve` and real DTLS handshakes with
/// coap-client-openssl: the server runs without the root key, survives an issuing-CA rotation with every
/// device certificate still accepted, refuses to start on a bad trust anchor or key file naming it, and a
/// single-level directory from before keeps working and migrates.
final class OfflineRootTests: XCTestCase {
    private var pki: TestPKI!
    private var server: ServerProcess!
    private var offline: URL!

    override func tearDown() async throws {
        try? await server?.stop()
        if let run = testRun, run.failureCount > 0, let server { print("--- server log ---\n\(server.log)") }
        pki?.remove()
        if let offline { try? FileManager.default.removeItem(at: offline) }
    }

    /// Starts `serve` on `pki` (same data folder across restarts) and returns an admin client.
    private func start() async throws -> AdminClient {
        if server == nil { server = ServerProcess(pki: pki) } else { server = ServerProcess(pki: pki, dataDirectory: server.dataDirectory) }
        try await server.start()
        let admin = AdminClient(baseURL: server.baseURL, token: try server.adminToken())
        return admin
    }

    private func time(_ device: DeviceFiles) throws -> CoAPClient.Result {
        try CoAPClient(device: device).send("GET", "\(server.coapsURI)/v1/time")
    }

    /// A real DTLS handshake and request as `device`, answered 2.05.
    private func assertChecksIn(_ device: DeviceFiles, line: UInt = #line) throws {
        let answer = try time(device)
        XCTAssertEqual(answer.code, "2.05", "\(device.serial): \(answer)", line: line)
    }

    /// Provisions `serial` (a BF-100), checks the CA certificate it is given to pin, and checks it in.
    private func provision(_ serial: String, with admin: AdminClient, pinning expected: String, line: UInt = #line) async throws -> DeviceFiles {
        let device = try await admin.provision(serial, model: "BF-100", into: pki.directory.appendingPathComponent(serial))
        XCTAssertEqual(try String(contentsOf: device.caURL, encoding: .utf8), expected, "the CA certificate to pin", line: line)
        try assertChecksIn(device, line: line)
        return device
    }

    /// Moves the root key out of the PKI folder, as `ca init` tells the operator to.
    private func takeRootKeyOffline() throws -> URL {
        offline = FileManager.default.temporaryDirectory.appendingPathComponent("offline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: offline, withIntermediateDirectories: true)
        let key = offline.appendingPathComponent("fleet-root.key")
        try FileManager.default.moveItem(at: pki.pkiDirectory.rootKeyURL, to: key)
        return key
    }

    func testServingWithoutTheRootKeyAndRotatingTheIssuerKeepsEveryDevice() async throws {
        pki = try TestPKI()
        let rootKey = try takeRootKeyOffline()
        var admin = try await start()
        XCTAssertFalse(server.log.contains("fleet-root.key"), "no warning: the root key is offline")
        try await admin.certify("BF-100")
        let before = try await provision("BRK-0501", with: admin, pinning: pki.loaded.fleetRootPEM)

        try await server.stop()
        let rotate = try CLIRunner.execute(["ca", "rotate-issuer", "--dir", pki.directory.path, "--root-key", rootKey.path])
        XCTAssertEqual(rotate.status, 0, "\(rotate)")
        XCTAssertTrue(rotate.stdout.contains("new issuing CA"), "\(rotate)")
        admin = try await start()

        let after = try await provision("BRK-0502", with: admin, pinning: pki.loaded.fleetRootPEM)
        XCTAssertNotEqual(after.credential.certificate.issuer, before.credential.certificate.issuer, "signed by the new issuing CA")
        try assertChecksIn(before)
        // A certificate from a CA the fleet never trusted is still refused.
        let foreign = try time(try pki.foreignDevice("BRK-0503"))
        XCTAssertNil(foreign.code, "\(foreign)")
        XCTAssertNotNil(foreign.dtlsAlert, "refused by a DTLS alert: \(foreign.output)")
    }

    func testServeRefusesToStartOnABadAnchorOrKeyFileNamingIt() async throws {
        pki = try TestPKI()
        let manufacturers = pki.pkiDirectory.manufacturersURL
        try FileManager.default.createDirectory(at: manufacturers, withIntermediateDirectories: true)

        // A device (non-CA) certificate dropped among the manufacturer CAs.
        let leafFile = manufacturers.appendingPathComponent("dropped.crt")
        try Data(try pki.device("BRK-0510").credential.certificatePEM.utf8).write(to: leafFile)
        try await assertStartRefused(naming: leafFile.path, because: "not a CA")
        try FileManager.default.removeItem(at: leafFile)

        // An expired manufacturer CA.
        let expired = try CertificateAuthority.create(commonName: "Old Maker", validFor: 60, now: Date() - 3600)
        let expiredFile = manufacturers.appendingPathComponent("old-maker.crt")
        try Data(expired.certificatePEM.utf8).write(to: expiredFile)
        try await assertStartRefused(naming: expiredFile.path, because: "expired at")
        try FileManager.default.removeItem(at: expiredFile)

        // A server key readable by the group.
        XCTAssertEqual(chmod(pki.serverKeyURL.path, 0o640), 0)
        try await assertStartRefused(naming: pki.serverKeyURL.path, because: "chmod 600")
        XCTAssertEqual(chmod(pki.serverKeyURL.path, 0o600), 0)

        // The issuing CA key readable by others.
        XCTAssertEqual(chmod(pki.pkiDirectory.authorityKeyURL.path, 0o604), 0)
        try await assertStartRefused(naming: pki.pkiDirectory.authorityKeyURL.path, because: "mode 604")
        XCTAssertEqual(chmod(pki.pkiDirectory.authorityKeyURL.path, 0o600), 0)

        // With everything fixed it starts, and warns that the root key is still on the server.
        _ = try await start()
        XCTAssertTrue(server.log.contains("fleet-root.key") && server.log.contains("offline"), server.log)
    }

    private func assertStartRefused(naming file: String, because reason: String, line: UInt = #line) async throws {
        let attempt = ServerProcess(pki: pki)
        do {
            try await attempt.start()
            try? await attempt.stop()
            XCTFail("the server started with \(file)", line: line)
        } catch {
            let log = attempt.log
            XCTAssertTrue(log.contains("cannot start") && log.contains(file) && log.contains(reason),
                          "the refusal names \(file) and says \(reason):\n\(log)", line: line)
        }
    }

    func testASingleLevelDirectoryFromBeforeServesAndMigratesWithoutLosingADevice() async throws {
        pki = try TestPKI(singleLevel: true)
        var admin = try await start()
        try await admin.certify("BF-100")
        let old = try await provision("BRK-0520", with: admin, pinning: pki.authority.certificatePEM)

        try await server.stop()
        let migrate = try CLIRunner.execute(["ca", "migrate", "--dir", pki.directory.path])
        XCTAssertEqual(migrate.status, 0, "\(migrate)")
        XCTAssertTrue(migrate.stdout.contains("MOVE IT OFFLINE"), "\(migrate)")
        _ = try takeRootKeyOffline()
        admin = try await start()

        // The old device, still pinning the old CA certificate, verifies the server and is accepted; new ones
        // are given the re-issued root (same name and key, pathLen 1).
        try assertChecksIn(old)
        let root = try String(contentsOf: pki.pkiDirectory.rootCertificateURL, encoding: .utf8)
        XCTAssertNotEqual(root, pki.authority.certificatePEM)
        _ = try await provision("BRK-0521", with: admin, pinning: root)
    }

    func testCAInitSaysWhereTheRootKeyIsAndHowToTakeItOffline() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ca-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let rootKey = folder.appendingPathComponent("usb/root.key")
        let run = try CLIRunner.execute(["ca", "init", "--dir", folder.appendingPathComponent("pki").path, "--root-key", rootKey.path])
        XCTAssertEqual(run.status, 0, "\(run)")
        XCTAssertTrue(run.stdout.contains(rootKey.path) && run.stdout.contains("MOVE IT OFFLINE"), "\(run)")
        XCTAssertTrue(run.stdout.contains("rotate-issuer --root-key"), "\(run)")
        XCTAssertEqual(SecureFile.mode(of: rootKey), 0o600)
        let show = try CLIRunner.execute(["ca", "show", "--dir", folder.appendingPathComponent("pki").path])
        XCTAssertEqual(show.status, 0, "\(show)")
        let root = try PKIDirectory(url: folder.appendingPathComponent("pki")).load()
        XCTAssertTrue(show.stdout.contains(DERFingerprint.sha256Hex(root.fleetRootDER)), "\(show)")
        XCTAssertTrue(show.stdout.contains(DERFingerprint.sha256Hex(root.authority.certificateDER)), "\(show)")
    }
}
