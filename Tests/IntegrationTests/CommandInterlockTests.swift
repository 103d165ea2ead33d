import FleetTesting
import Foundation
import XCTest

/// The admin side of remote commands against a real server: every safety interlock refused by name and
/// then satisfied, two-person approval, who may do what, bad input changing nothing, and a site trip's dry
/// run changing nothing.
final class CommandInterlockTests: ServerTestCase {
    var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }

    /// A model that can trip and reset remotely, and a device of it installed at `site`.
    private func remoteCapableDevice(_ serial: String, site: String = "yanhu-market", model: String = "BF-200") async throws -> CoAPClient {
        if try await admin.get("/api/v1/models/\(model)").status == 404 {
            try await admin.certify(model, capabilities: ["temperature", "leakage", "remote_trip", "remote_reset"])
        }
        if try await admin.get("/api/v1/sites/\(site)").status == 404 { try await admin.addSite(site, county: "140802") }
        let client = try await provisionedClient(serial, model: model)
        let installed = try await admin.post("/api/v1/devices/\(serial)/installation", json: ["site": site, "circuit": "L-\(serial)"])
        XCTAssertEqual(installed.status, 200, installed.text)
        return client
    }

    private func issue(_ action: String, _ serial: String, extra: [String: Any] = [:], as client: AdminClient? = nil) async throws -> AdminClient.Answer {
        var body: [String: Any] = ["serial": serial, "action": action, "reason": "test \(action)"]
        for (key, value) in extra { body[key] = value }
        return try await (client ?? admin).post("/api/v1/commands", json: body)
    }

    private func assertRefused(
        _ refused: @autoclosure () async throws -> AdminClient.Answer, rule: String, mentions: String,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws {
        let answer = try await refused()
        XCTAssertEqual(answer.status, 409, answer.text, file: file, line: line)
        XCTAssertEqual(answer.json["type"] as? String, "urn:breakerfleet:problem:\(rule)", answer.text, file: file, line: line)
        XCTAssertTrue((answer.json["detail"] as? String ?? "").contains(mentions), answer.text, file: file, line: line)
    }

    private func commandCount() async throws -> Int {
        (try await admin.get("/api/v1/commands").json["commands"] as? [Any])?.count ?? -1
    }

    /// Assigns a changed `commerce` profile to one device and waits until precedence chose it.
    private func assignProfile(_ id: String, to serial: String, remote: [String: Bool]) async throws {
        let document = try shippedProfile("commerce") { profile in
            profile["id"] = id
            for (field, value) in remote { profile.set("remote", field, value) }
        }
        let pushed = try await admin.send("POST", "/api/v1/profiles", body: document)
        XCTAssertEqual(pushed.status, 201, pushed.text)
        let body = try JSONSerialization.data(withJSONObject: ["profile": id, "device": serial])
        let assigned = try await admin.send("PUT", "/api/v1/profile-assignments", body: body)
        XCTAssertEqual(assigned.status, 200, assigned.text)
        try await Deadline.wait("\(serial) to be meant to run \(id)", timeout: 10) {
            ((try await self.admin.get("/api/v1/devices/\(serial)/profile").json["desired"] as? [String: Any])?["profile_id"] as? String) == id
        }
    }

    func testBadInputIsRefusedNamingEachFieldAndCreatesNothing() async throws {
        _ = try await remoteCapableDevice("BRK-9001")
        let answer = try await issue("explode", "BRK-9001", extra: ["ttl_s": 5, "reason": " "])
        XCTAssertEqual(answer.status, 400, answer.text)
        let fields = Set((answer.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
        XCTAssertEqual(fields, ["action", "ttl_s", "reason"], answer.text)
        XCTAssertTrue(answer.text.contains("trip, reset, self_test, renew"), answer.text)
        let unknown = try await issue("trip", "BRK-404")
        XCTAssertEqual(unknown.status, 404, unknown.text)
        let nul = try await issue("trip", "BRK-9001\u{0}X")
        XCTAssertEqual(nul.status, 400, nul.text)
        let value1 = try await commandCount()
        XCTAssertEqual(value1, 0)
    }

    func testAModelWithoutTheCapabilityIsRefusedAndOneWithItIsQueued() async throws {
        _ = try await provisionedClient("BRK-9002")  // BF-100: temperature and leakage only
        try await assertRefused(await issue("trip", "BRK-9002"), rule: "model-capability", mentions: "remote_trip")
        try await assertRefused(await issue("reset", "BRK-9002"), rule: "model-capability", mentions: "remote_reset")
        _ = try await remoteCapableDevice("BRK-9003")
        let trip = try await issue("trip", "BRK-9003", extra: ["ttl_s": 120])
        XCTAssertEqual(trip.status, 201, trip.text)
        XCTAssertEqual(trip.json["state"] as? String, "queued")
        XCTAssertEqual(trip.json["issued_by"] as? String, "local-admin")
        let value2 = try await commandCount()
        XCTAssertEqual(value2, 1, "refusals created nothing")
    }

    func testAProfileThatForbidsRemoteResetIsNamedInTheRefusal() async throws {
        _ = try await remoteCapableDevice("BRK-9004")
        try await assignProfile("no-remote-reset", to: "BRK-9004", remote: ["allow_remote_reset": false])
        try await assertRefused(await issue("reset", "BRK-9004"), rule: "profile-forbids", mentions: "no-remote-reset")
        let value3 = try await issue("trip", "BRK-9004").status
        XCTAssertEqual(value3, 201, "trips stay allowed")
    }

    func testAResetWaitsWhileATripIsPendingAndAfterAShortCircuitNeedsTheInspector() async throws {
        let device = try await remoteCapableDevice("BRK-9005")
        let trip = try await issue("trip", "BRK-9005")
        let tripID = try XCTUnwrap(trip.json["id"] as? String)
        try await assertRefused(await issue("reset", "BRK-9005"), rule: "trip-pending", mentions: tripID)
        let value4 = try await admin.post("/api/v1/commands/\(tripID)/cancel", json: [:]).status
        XCTAssertEqual(value4, 200)

        // The device reports a short-circuit trip over DTLS.
        XCTAssertEqual(try device.send("POST", uri("/v1/register"), payload: #"{"model":"BF-200","fw":"1.0.0","hw":"a","caps":[],"lifetime":86400}"#, contentFormat: 50).code?.hasPrefix("2.0"), true)
        let event = #"{"id":"sc-1","type":"short_circuit","at":\#(Int(Date().timeIntervalSince1970)),"phase":"l1","action":"tripped"}"#
        XCTAssertEqual(try device.send("POST", uri("/v1/events"), payload: event, contentFormat: 50).code, "2.01")
        try await Deadline.wait("the short circuit in the store", timeout: 10) {
            ((try await self.admin.get("/api/v1/devices/BRK-9005/events").json["events"] as? [Any]) ?? []).count == 1
        }
        try await assertRefused(await issue("reset", "BRK-9005"), rule: "short-circuit-latch", mentions: "--inspected-by")
        let reset = try await issue("reset", "BRK-9005", extra: ["inspected_by": "Wang Electrician"])
        XCTAssertEqual(reset.status, 201, reset.text)
        XCTAssertEqual(reset.json["inspected_by"] as? String, "Wang Electrician")
    }

    func testAResetThatNeedsConfirmationWaitsForADifferentAdmin() async throws {
        _ = try await remoteCapableDevice("BRK-9006")
        try await assignProfile("two-person", to: "BRK-9006", remote: ["reset_requires_confirm": true])
        let reset = try await issue("reset", "BRK-9006")
        XCTAssertEqual(reset.status, 201, reset.text)
        XCTAssertEqual(reset.json["state"] as? String, "awaiting_approval")
        let id = try XCTUnwrap(reset.json["id"] as? String)

        let own = try await admin.post("/api/v1/commands/\(id)/approve", json: [:])
        try await assertRefused(own, rule: "two-person-approval", mentions: "different admin")
        let supervisor = admin.with(token: try await admin.createToken(name: "inspector", role: "supervisor").secret)
        let value5 = try await supervisor.post("/api/v1/commands/\(id)/approve", json: [:]).status
        XCTAssertEqual(value5, 403)
        let value6 = try await issue("trip", "BRK-9006", as: supervisor).status
        XCTAssertEqual(value6, 403, "supervisors read, never command")
        let value7 = try await supervisor.get("/api/v1/commands/\(id)").status
        XCTAssertEqual(value7, 200)

        let second = admin.with(token: try await admin.createToken(name: "duty-officer", role: "admin").secret)
        let approved = try await second.post("/api/v1/commands/\(id)/approve", json: [:])
        XCTAssertEqual(approved.status, 200, approved.text)
        XCTAssertEqual(approved.json["state"] as? String, "queued")
        let notes = (approved.json["transitions"] as? [[String: Any]] ?? []).compactMap { $0["note"] as? String }
        XCTAssertEqual(notes, ["approved by duty-officer"])
    }

    func testASiteTripDryRunChangesNothingAndTheRealRunNeedsTheSiteAgain() async throws {
        _ = try await remoteCapableDevice("BRK-9007", site: "linyi-school")
        _ = try await remoteCapableDevice("BRK-9008", site: "linyi-school")
        _ = try await provisionedClient("BRK-9009")
        let value8 = try await admin.post("/api/v1/devices/BRK-9009/installation", json: ["site": "linyi-school", "circuit": "L-3"]).status
        XCTAssertEqual(value8, 200)

        let plan = try cli.run(["site", "trip", "linyi-school", "--reason", "fire drill", "--dry-run"])
        XCTAssertEqual(plan.status, 0, plan.output)
        XCTAssertTrue(plan.output.contains("2 of 3 breaker(s) of linyi-school would be tripped; nothing was changed"), plan.output)
        XCTAssertTrue(plan.output.contains("lacks capability remote_trip"), plan.output)
        let value9 = try await commandCount()
        XCTAssertEqual(value9, 0)

        let unconfirmed = try cli.run(["site", "trip", "linyi-school", "--reason", "fire"])
        XCTAssertNotEqual(unconfirmed.status, 0)
        XCTAssertTrue(unconfirmed.output.contains("--confirm"), unconfirmed.output)
        let wrong = try await admin.post("/api/v1/sites/linyi-school/trip", json: ["reason": "fire", "confirm": "linyi"])
        XCTAssertEqual(wrong.status, 400, wrong.text)
        let value10 = try await commandCount()
        XCTAssertEqual(value10, 0)

        let real = try await admin.post("/api/v1/sites/linyi-school/trip", json: ["reason": "fire", "confirm": "linyi-school"])
        XCTAssertEqual(real.status, 201, real.text)
        let batch = try XCTUnwrap(real.json["batch"] as? String)
        let listed = try await admin.get("/api/v1/commands?site_trip=\(batch)").json["commands"] as? [[String: Any]] ?? []
        XCTAssertEqual(Set(listed.compactMap { $0["serial"] as? String }), ["BRK-9007", "BRK-9008"])
    }

    func testTheCLIIssuesShowsAndWaitsAndFailsUnlessDone() async throws {
        _ = try await remoteCapableDevice("BRK-9010")
        let issued = try cli.run(["command", "self-test", "BRK-9010", "--reason", "weekly", "--ttl", "30s", "--wait", "1s"])
        XCTAssertNotEqual(issued.status, 0, "nobody answered: not done, " + issued.output)
        let id = try XCTUnwrap(issued.output.split(separator: ":").first.map(String.init))
        XCTAssertTrue(issued.output.contains("still queued") || issued.output.contains("still sent"), issued.output)
        let shown = try cli.run(["command", "show", id])
        XCTAssertEqual(shown.status, 0, shown.output)
        XCTAssertTrue(shown.output.contains("reason:       weekly"), shown.output)
        let cancelled = try cli.run(["command", "cancel", id])
        XCTAssertEqual(cancelled.status, 0, cancelled.output)
        let listed = try cli.run(["command", "list", "--device", "BRK-9010", "--state", "cancelled"])
        XCTAssertTrue(listed.output.contains(id), listed.output)
        let metrics = try await admin.get("/metrics").text
        XCTAssertTrue(metrics.contains(#"breakerfleet_commands_total{action="self_test",state="cancelled"} 1"#), metrics)
        let badTTL = try cli.run(["command", "trip", "BRK-9010", "--reason", "x", "--ttl", "2d"])
        XCTAssertNotEqual(badTTL.status, 0)
        XCTAssertTrue(badTTL.output.contains("--ttl: 2d is outside 10s–1d"), badTTL.output)
    }
}
