import CoAPTransport
import FleetPKI
import FleetTesting
import Foundation
import Synchronization
import XCTest

/// Who may connect over DTLS: factory certificates of certified models, revocation, PSK-only models.
final class FleetTrustTests: ServerTestCase {
    private var manufacturer: CertificateAuthority!
    override var serverArguments: [String] { ["--enable-psk"] }

    /// Another manufacturer CA that happens to carry the same name: only fingerprints tell them apart.
    private var lookalike: CertificateAuthority!

    override func preparePKI(_ pki: TestPKI) throws {
        manufacturer = try pki.addManufacturerCA(commonName: "Acme Breakers Factory CA")
        lookalike = try pki.addManufacturerCA(commonName: "Acme Breakers Factory CA")
    }

    func testABanByFingerprintCutsOffThatCAAloneNotAnotherOfTheSameName() async throws {
        try await admin.certify("ACME-63")
        let registration = #"{"model":"ACME-63","fw":"2.0.1","caps":["temperature","leakage"]}"#
        let banned = CoAPClient(device: try pki.device("ACME-0101", issuedBy: manufacturer))
        let spared = CoAPClient(device: try pki.device("ACME-0102", issuedBy: lookalike))
        for device in [banned, spared] {
            let answer = try device.send("POST", uri("/v1/register"), payload: registration, contentFormat: 50)
            XCTAssertEqual(answer.code, "2.01", "\(answer)")
        }

        let file = pki.directory.appendingPathComponent("acme-leaked.crt")
        try Data(manufacturer.certificatePEM.utf8).write(to: file)
        let cli = CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL)
        let ban = try cli.run(["ban", "ca", "--file", file.path, "--reason", "factory key leaked"])
        XCTAssertEqual(ban.status, 0, "\(ban)")
        let list = try cli.run(["ban", "list"])
        XCTAssertTrue(list.stdout.contains(DERFingerprint.sha256Hex(manufacturer.certificateDER)), "\(list)")

        try await Deadline.wait("the ban to reach the device plane", timeout: 10) {
            try banned.send("GET", uri("/v1/time"), timeout: 2).code == nil
        }
        let other = try spared.send("GET", uri("/v1/time"))
        XCTAssertEqual(other.code, "2.05", "a CA with the same name is not banned: \(other)")
    }

    func testAFactoryDeviceRegistersUnassignedIsInstalledByClaimCodeAndAnUncertifiedModelIsRefused() async throws {
        try await admin.certify("ACME-63")
        let device = CoAPClient(device: try pki.device("ACME-0001", issuedBy: manufacturer))
        let registration = #"{"model":"ACME-63","fw":"2.0.1","caps":["temperature","leakage"]}"#
        let first = try device.send("POST", uri("/v1/register"), payload: registration, contentFormat: 50)
        XCTAssertEqual(first.code, "2.01", "\(first)")
        XCTAssertTrue(first.payload.contains(#""state":"unassigned""#), "\(first)")
        let telemetry = try device.send("POST", uri("/v1/telemetry"), payload: Self.pack("ACME-0001"), contentFormat: 110)
        XCTAssertEqual(telemetry.code, "2.04", "an unassigned device's telemetry is kept: \(telemetry)")
        _ = try await waitForDevice("ACME-0001") { ($0["device"] as? [String: Any])?["state"] as? String == "unassigned" }

        // An installer binds it in the field with a claim code, and the device is active from then on.
        try await admin.addSite("yanhu-clinic", county: "140802", category: "bank-hospital-school")
        let claim = try await admin.post("/api/v1/claims", json: ["site": "yanhu-clinic"])
        XCTAssertEqual(claim.status, 201, claim.text)
        let qr = try XCTUnwrap(claim.json["qr"] as? String)
        let redeemed = try await admin.with(token: nil).post(
            "/api/v1/claims/redeem", json: ["code": qr, "serial": "ACME-0001", "circuit": "ward 2 lighting"])
        XCTAssertEqual(redeemed.status, 200, redeemed.text)
        _ = try await waitForDevice("ACME-0001") { ($0["device"] as? [String: Any])?["state"] as? String == "active" }
        let again = try device.send("POST", uri("/v1/register"), payload: registration, contentFormat: 50)
        XCTAssertEqual(again.code, "2.04", "\(again)")
        XCTAssertTrue(again.payload.contains(#""state":"active""#), "the device plane knows it was installed: \(again)")

        let stranger = CoAPClient(device: try pki.device("ACME-0002", issuedBy: manufacturer))
        let refused = try stranger.send("POST", uri("/v1/register"), payload: #"{"model":"ACME-99","fw":"1.0"}"#, contentFormat: 50)
        XCTAssertEqual(refused.code, "4.03", "\(refused)")
        XCTAssertTrue(refused.output.contains("model ACME-99 is not a certified model"), "\(refused)")
        let missing = try await admin.get("/api/v1/devices/ACME-0002")
        XCTAssertEqual(missing.status, 404, "a refused registration records nothing")
    }

    func testRevocationClosesTheLiveSessionAndRefusesTheNextHandshake() async throws {
        let files = try await admin.provision("BRK-0300", model: "BF-100", into: pki.directory.appendingPathComponent("revoke"))
        let engine = try CoAPClientEngine()
        try engine.start()
        defer { engine.shutdown() }
        let events = Mutex<[CoAPClientSessionEvent]>([])
        let credentials = try CoAPClientCredentials(certificatePEM: files.certificateURL, privateKeyPEM: files.keyURL, serverAuthorityPEM: files.caURL)
        let session = engine.connect(to: .init(host: "127.0.0.1", port: server.coapsPort), credentials: credentials) { _, event in
            events.withLock { $0.append(event) }
        }
        try await Deadline.wait("the DTLS session", timeout: 10) { events.withLock { $0.contains(.connected) } }
        let answered = Mutex<CoAPClientResult?>(nil)
        session.perform { session in
            session.send(CoAPClientRequest(.get, "/v1/time")) { result in answered.withLock { $0 = result } }
        }
        try await Deadline.wait("an answer on the live session", timeout: 10) { answered.withLock { $0 } != nil }
        XCTAssertEqual(try answered.withLock { $0 }?.get().code, .content)

        let revokedAt = Date()
        let revoke = try await admin.post("/api/v1/devices/BRK-0300/revoke", json: ["reason": "stolen from site"])
        XCTAssertEqual(revoke.status, 200, revoke.text)
        try await Deadline.wait("the server to close the live session", timeout: 5) {
            events.withLock { $0.contains { if case .failed = $0 { true } else { $0 == .closed } } }
        }
        XCTAssertLessThan(Date().timeIntervalSince(revokedAt), 1.5, "the live session must close within about a second")

        let again = try CoAPClient(device: files).send("GET", uri("/v1/time"), timeout: 3)
        XCTAssertNil(again.code, "a revoked certificate must fail the handshake: \(again)")
        XCTAssertNotNil(again.dtlsAlert, "refused by a DTLS alert: \(again.output)")
    }

    func testAPSKOnlyDeviceChecksIn() async throws {
        try await admin.certify("BF-PSK", capabilities: ["leakage", "psk_only"])
        let answer = try await admin.post("/api/v1/devices", json: ["serial": "BRK-0400", "model": "BF-PSK"])
        XCTAssertEqual(answer.status, 201, answer.text)
        let credentials = answer.json["credentials"] as? [String: Any]
        XCTAssertNil(credentials?["certificate"], "a PSK-only model gets no certificate")
        XCTAssertEqual(credentials?["psk_identity"] as? String, "BRK-0400")
        let key = try XCTUnwrap(credentials?["psk"] as? String)
        let result = try pskClient(identity: "BRK-0400", key: key)
            .send("POST", uri("/v1/register"), payload: #"{"model":"BF-PSK","fw":"0.9"}"#, contentFormat: 50)
        XCTAssertEqual(result.code, "2.01", "\(result)")
        let completedBefore = try await counter("breakerfleet_dtls_handshakes_total")
        let wrongKey = try pskClient(identity: "BRK-0400", key: String(key.reversed())).send("GET", uri("/v1/time"), timeout: 3)
        XCTAssertNil(wrongKey.code, "a wrong PSK must fail the handshake: \(wrongKey)")
        // DTLS has no alert for a wrong PSK: records that do not decrypt are discarded (RFC 6347 §4.1.2.7). What
        // the server knows is that no handshake completed, which a merely slow server would not show.
        let completedAfter = try await counter("breakerfleet_dtls_handshakes_total")
        XCTAssertEqual(completedAfter, completedBefore, "no DTLS session was established with the wrong key")
    }

    private func pskClient(identity: String, key: String) -> CoAPClient { CoAPClient(pskIdentity: identity, key: key) }

    private func counter(_ name: String) async throws -> Double {
        let metrics = try await admin.get("/metrics").text
        let line = metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") || $0.hasPrefix(name + "{") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }
}
