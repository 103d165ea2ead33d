import CoAPTransport
import FleetTesting
import Foundation
import XCTest

/// The simulator's client engine against the real `breakerfleet` server (real DTLS, real store).
final class CoAPClientEngineTests: XCTestCase {
    private var pki: TestPKI!
    private var server: ServerProcess!
    private var admin: AdminClient!
    private var engine: CoAPClientEngine!

    override func setUp() async throws {
        pki = try TestPKI()
        server = ServerProcess(pki: pki)
        try await server.start()
        admin = AdminClient(baseURL: server.baseURL, token: try server.adminToken())
        try await admin.certify("BF-100")
        engine = try CoAPClientEngine(configuration: .init(contextsPerLoop: 2, nstart: 8, ackTimeout: 1))
        try engine.start()
    }

    override func tearDown() async throws {
        engine?.shutdown()
        try? await server?.stop()
        if let run = testRun, run.failureCount > 0, let server { print("--- server log ---\n\(server.log)") }
        pki?.remove()
    }

    private var endpoint: CoAPClientEngine.Endpoint { .init(host: "127.0.0.1", port: server.coapsPort) }

    private func credentials(_ serial: String) async throws -> CoAPClientCredentials {
        let files = try await admin.provision(serial, model: "BF-100", into: pki.directory.appendingPathComponent("sim"))
        return try CoAPClientCredentials(certificatePEM: files.certificateURL, privateKeyPEM: files.keyURL, serverAuthorityPEM: files.caURL)
    }

    private func openSessions() async throws -> Int {
        let metrics = try await admin.get("/metrics").text
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("breakerfleet_coap_sessions_open ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? -1
    }

    func testASessionRegistersThenKeepsEightTelemetryPacksInFlightAndAllAreStored() async throws {
        let serial = "BRK-SIM-0001"
        let device = try await credentials(serial)
        let recorder = ClientRecorder()
        let pack = Array(#"[{"bn":"urn:dev:sn:\#(serial):","n":"voltage_l1","u":"V","v":229.8},{"n":"leakage","u":"A","v":0.012}]"#.utf8)
        let registration = Array(#"{"model":"BF-100","fw":"1.0.0"}"#.utf8)
        engine.connect(to: endpoint, credentials: device) { session, event in
            recorder.record(event)
            guard event == .connected else { return }
            session.send(CoAPClientRequest(.post, "/v1/register", contentFormat: .json, payload: registration)) { result in
                recorder.record(result)
                for _ in 0..<8 {
                    session.send(CoAPClientRequest(.post, "/v1/telemetry", contentFormat: .senmlJSON, payload: pack)) { result in
                        recorder.record(result)
                    }
                }
                recorder.window(session.inFlight)
            }
        }
        try await Deadline.wait("register and 8 telemetry answers", timeout: 20) { recorder.snapshot.results.count == 9 }
        XCTAssertEqual(recorder.codes, ["2.01"] + Array(repeating: "2.04", count: 8))
        XCTAssertEqual(recorder.snapshot.largestWindow, 8, "all eight were in flight at once")
        XCTAssertEqual(recorder.snapshot.events, [.connected])
        try await Deadline.wait("8 packs in the store", timeout: 15) {
            let answer = try await self.admin.get("/api/v1/devices/\(serial)/telemetry")
            return (answer.json["telemetry"] as? [Any])?.count == 8
        }
    }

    func testClosingSessionsSendsCloseNotifySoTheServerDropsThemAtOnce() async throws {
        let device = try await credentials("BRK-SIM-0002")
        let recorder = ClientRecorder()
        let sessions = (0..<3).map { _ in engine.connect(to: endpoint, credentials: device) { _, event in recorder.record(event) } }
        try await Deadline.wait("three handshakes", timeout: 20) { recorder.count(.connected) == 3 }
        try await Deadline.wait("three open sessions in /metrics", timeout: 10) { try await self.openSessions() == 3 }

        for session in sessions { session.perform { $0.close() } }
        try await Deadline.wait("three closed events", timeout: 10) { recorder.count(.closed) == 3 }
        // Without close_notify the server would keep them for its 300 s idle timeout.
        try await Deadline.wait("no open session in /metrics", timeout: 10) { try await self.openSessions() == 0 }
    }

    func testACertificateFromAnUntrustedCAFailsTheHandshake() async throws {
        let foreign = try pki.foreignDevice("BRK-SIM-0003")
        let credentials = try CoAPClientCredentials(
            certificatePEM: foreign.certificateURL, privateKeyPEM: foreign.keyURL, serverAuthorityPEM: foreign.caURL)
        let recorder = ClientRecorder()
        engine.connect(to: endpoint, credentials: credentials) { _, event in recorder.record(event) }
        try await Deadline.wait("the refused handshake", timeout: 20) { !recorder.snapshot.events.isEmpty }
        XCTAssertEqual(recorder.snapshot.events, [.failed(.tlsFailed)])
    }
}
