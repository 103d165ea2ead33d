import FleetDomain
import FleetServices
import FleetTesting
import Foundation
import XCTest

/// Notices to a site's manager end to end: a device's trip reaches a real local HTTP receiver, signed with
/// the site's secret; failures are retried with backoff and every attempt listed; a notice survives a
/// server crash and is delivered once to a receiver that acknowledged it.
final class SiteNotificationTests: ServerTestCase {
    override var serverArguments: [String] { ["--allow-loopback-http-webhooks"] }
    var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }

    /// A site posting to `webhook` and a device installed there; returns the site's secret and the device.
    private func site(webhook: String) throws -> (secret: [UInt8], device: String) {
        let added = try cli.run(["site", "add", "hongqi-mall", "--name", "Hongqi Mall", "--category", "commerce", "--county", "140802",
                                 "--address", "8 Hongqi Road", "--manager-name", "Zhao Min", "--manager-phone", "+86 359 7654321",
                                 "--webhook-url", webhook])
        XCTAssertEqual(added.status, 0, added.output)
        let hex = try XCTUnwrap(added.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        return (try XCTUnwrap(hex.count == 64 ? Hex.decode(hex) : nil, added.output), "BRK-7001")
    }

    private func trippedDevice(_ serial: String) async throws -> CoAPClient {
        let client = try await provisionedClient(serial)
        let installed = try await admin.post("/api/v1/devices/\(serial)/installation", json: ["site": "hongqi-mall", "circuit": "B1-AL2"])
        XCTAssertEqual(installed.status, 200, installed.text)
        return client
    }

    private func reportShortCircuit(_ client: CoAPClient, id: String) throws {
        let event = #"{"id":"\#(id)","type":"short_circuit","at":\#(Int(Date().timeIntervalSince1970)),"phase":"l2","value":1450,"action":"tripped"}"#
        let answer = try client.send("POST", uri("/v1/events"), payload: event, contentFormat: 50)
        XCTAssertEqual(answer.code?.hasPrefix("2.0"), true, "\(answer)")
    }

    private func notices() async throws -> [[String: Any]] {
        try await admin.get("/api/v1/sites/hongqi-mall/notifications").json["notifications"] as? [[String: Any]] ?? []
    }

    func testATripReachesTheReceiverSignedAfterTwoFailuresWithEveryAttemptListed() async throws {
        let receiver = try WebhookReceiver(statuses: [500, 503])
        defer { receiver.stop() }
        let (secret, serial) = try site(webhook: receiver.url)
        let device = try await trippedDevice(serial)
        try reportShortCircuit(device, id: "sc-1")
        try reportShortCircuit(device, id: "sc-1")  // a repeat: counted once, notified once

        try await Deadline.wait("the third attempt to succeed", timeout: 20) { receiver.requests().count >= 3 }
        let requests = receiver.requests()
        XCTAssertEqual(Set(requests.map { $0.headers["x-breakerfleet-delivery"] ?? "" }), ["trip:\(serial):sc-1"])
        for request in requests {
            let timestamp = try XCTUnwrap(Int64(request.headers["x-breakerfleet-timestamp"] ?? ""))
            let signature = try XCTUnwrap(request.headers["x-breakerfleet-signature"])
            XCTAssertTrue(WebhookSignature.verify(body: request.body, timestamp: timestamp, signature: signature, secret: secret, now: Date()))
            XCTAssertFalse(WebhookSignature.verify(body: request.body + [0x20], timestamp: timestamp, signature: signature, secret: secret, now: Date()),
                           "a changed body fails")
            XCTAssertFalse(WebhookSignature.verify(body: request.body, timestamp: timestamp, signature: signature, secret: secret,
                                                   now: Date().addingTimeInterval(600)), "a replay ten minutes later fails")
        }
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(requests[0].body)) as? [String: Any])
        XCTAssertEqual((body["device"] as? [String: Any])?["circuit"] as? String, "B1-AL2")
        XCTAssertEqual((body["event"] as? [String: Any])?["type"] as? String, "short_circuit")
        XCTAssertEqual((body["site"] as? [String: Any])?["name"] as? String, "Hongqi Mall")

        var listed: [[String: Any]] = []
        try await Deadline.wait("the notice recorded delivered", timeout: 10) {
            listed = try await self.notices()
            return listed.first?["state"] as? String == "delivered"
        }
        XCTAssertEqual(listed.count, 1)
        let statuses = (listed[0]["attempts"] as? [[String: Any]] ?? []).map { $0["status"] as? Int }
        XCTAssertEqual(statuses, [500, 503, 200])
        XCTAssertEqual(receiver.requests().count, 3, "nothing after the acknowledgement")
        let shown = try cli.run(["site", "notifications", "hongqi-mall"])
        XCTAssertTrue(shown.output.contains("delivered") && shown.output.contains("trip short_circuit"), shown.output)
    }

    func testANoticeQueuedWhileTheReceiverIsDownSurvivesACrashAndIsDeliveredOnce() async throws {
        let port = Int(FreePort.tcp())
        let (_, serial) = try site(webhook: "http://127.0.0.1:\(port)/hook")
        let device = try await trippedDevice(serial)
        try reportShortCircuit(device, id: "sc-9")
        try await Deadline.wait("a refused attempt", timeout: 15) {
            ((try await self.notices()).first?["attempts"] as? [Any])?.isEmpty == false
        }
        try await server.kill9()
        let receiver = try WebhookReceiver(port: port)
        defer { receiver.stop() }
        try await server.start(extraArguments: serverArguments)
        try await Deadline.wait("delivery after the restart", timeout: 20) {
            (try await self.notices()).first?["state"] as? String == "delivered"
        }
        XCTAssertEqual(receiver.requests().count, 1)
        let attempts = (try await notices()).first?["attempts"] as? [[String: Any]] ?? []
        XCTAssertEqual(attempts.last?["status"] as? Int, 200)
        XCTAssertNil(attempts.first?["status"] as? Int, "the first attempt found nobody listening: \(attempts)")
    }

    func testPlainHTTPWebhooksElsewhereAreRefusedNamingTheField() async throws {
        let answer = try await admin.post("/api/v1/sites", json: [
            "id": "far-away", "name": "Far", "category": "commerce", "county": "140802", "address": "a",
            "manager": ["name": "Li", "phone": "+86 359 1234567", "webhook_url": "http://203.0.113.5/hook"]])
        XCTAssertEqual(answer.status, 400, answer.text)
        XCTAssertTrue(answer.text.contains("manager.webhook_url"), answer.text)
        let stored = try await admin.get("/api/v1/sites/far-away")
        XCTAssertEqual(stored.status, 404, "nothing was created")
    }
}
