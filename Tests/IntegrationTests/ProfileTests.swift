import FleetTesting
import Foundation
import XCTest

/// Threshold profiles end to end: the shipped files loaded at start, refused documents, precedence, a push
/// over Observe to a connected device (real `coap-client-openssl`), the registration answer for an offline
/// one, and applied/rejected reports in the status.
final class ProfileTests: ServerTestCase {
    var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }

    private func latestVersion(_ id: String) async throws -> Int {
        let answer = try await admin.get("/api/v1/profiles/\(id)").json
        return try XCTUnwrap((answer["profile"] as? [String: Any])?["version"] as? Int)
    }

    private func assign(_ profile: String, _ target: [String: String]) async throws -> [String: Any] {
        var body: [String: Any] = ["profile": profile]
        for (key, value) in target { body[key] = value }
        let answer = try await admin.send("PUT", "/api/v1/profile-assignments", body: try JSONSerialization.data(withJSONObject: body))
        XCTAssertEqual(answer.status, 200, answer.text)
        return answer.json
    }

    private func deviceProfile(_ serial: String) async throws -> [String: Any] {
        try await admin.get("/api/v1/devices/\(serial)/profile").json
    }

    private func waitForProgress(_ serial: String, _ progress: String) async throws -> [String: Any] {
        var latest: [String: Any] = [:]
        try await Deadline.wait("\(serial) \(progress)", timeout: 15) {
            latest = try await self.deviceProfile(serial)
            return latest["progress"] as? String == progress
        }
        return latest
    }

    private func installedDevice(_ serial: String, site: String) async throws -> CoAPClient {
        let client = try await provisionedClient(serial)
        let installed = try await admin.post("/api/v1/devices/\(serial)/installation", json: ["site": site, "circuit": "L-\(serial)"])
        XCTAssertEqual(installed.status, 200, installed.text)
        return client
    }

    /// Precedence runs within a moment of an installation or assignment; wait for it rather than race it.
    private func waitForDesired(_ serial: String, _ profile: String) async throws {
        try await Deadline.wait("\(serial) to be meant to run \(profile)", timeout: 10) {
            ((try await self.deviceProfile(serial))["desired"] as? [String: Any])?["profile_id"] as? String == profile
        }
    }

    func testTheShippedProfilesAreLoadedAndEachCategoryRunsItsOwn() async throws {
        let list = try await admin.get("/api/v1/profiles").json
        let profiles = try XCTUnwrap(list["profiles"] as? [[String: Any]])
        XCTAssertEqual(profiles.count, 11)
        let assignments = try await admin.get("/api/v1/profile-assignments").json["assignments"] as? [[String: Any]] ?? []
        XCTAssertEqual(assignments.count, 10, "each category profile is assigned to its category on a new fleet")
        XCTAssertTrue(assignments.allSatisfy { $0["target"] as? String == $0["profile"] as? String })

        try await admin.addSite("charging-yard", county: "140802", category: "ev-charging")
        let client = try await installedDevice("BRK-1101", site: "charging-yard")
        try await waitForDesired("BRK-1101", "ev-charging")
        let registered = try client.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50)
        XCTAssertEqual(registered.code, "2.04", "a provisioned device registers with 2.04: \(registered)")
        let evVersion = try await latestVersion("ev-charging")
        XCTAssertTrue(registered.payload.contains(#""profile_version":\#(evVersion)"#), registered.payload)
        XCTAssertTrue(registered.payload.contains(#""heartbeat_s":60"#), "the profile's heartbeat: \(registered.payload)")
        let profile = try client.send("GET", uri("/v1/profile"))
        XCTAssertEqual(profile.code, "2.05", "\(profile)")
        XCTAssertTrue(profile.payload.contains(#""id":"ev-charging""#), profile.payload)
        XCTAssertTrue(profile.output.contains("ETag:0x" + String(format: "%02X", evVersion)) ||
                      profile.output.contains("ETag:0x" + String(format: "%02x", evVersion)), profile.output)
    }

    func testAProfileWithThreeViolationsIsRefusedWholeWithAllThree() async throws {
        let before = try await latestVersion("commerce")
        let document = try shippedProfile("commerce") {
            $0.set("leakage", "alarm_ma", 2000)
            $0.set("reporting", "heartbeat_s", 10)
            $0.set("voltage", "auto_reclose_s", 5)
        }
        let answer = try await admin.send("POST", "/api/v1/profiles", body: document)
        XCTAssertEqual(answer.status, 400, answer.text)
        let errors = try XCTUnwrap(answer.json["errors"] as? [[String: Any]])
        XCTAssertEqual(errors.compactMap { $0["field"] as? String }.sorted(),
                       ["leakage.alarm_ma", "reporting.heartbeat_s", "voltage.auto_reclose_s"])
        let leakageError = try XCTUnwrap(errors.first { $0["field"] as? String == "leakage.alarm_ma" })
        XCTAssertEqual(leakageError["value"] as? String, "2000")
        XCTAssertEqual(leakageError["bound"] as? String, "1000")
        XCTAssertTrue((leakageError["basis"] as? String ?? "").contains("GB 50116-2013"), "\(leakageError)")
        let after = try await latestVersion("commerce")
        XCTAssertEqual(after, before, "a refused profile changes nothing")
    }

    func testAPushReachesAnObservingDeviceAndItsConfirmationShowsInStatus() async throws {
        let client = try await provisionedClient("BRK-1201")
        XCTAssertEqual(try client.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50).code, "2.01")
        let observer = try CoAPObserver(device: try XCTUnwrap(client.device), uri: uri("/v1/profile"), seconds: 30)
        defer { observer.stop() }
        let defaultVersion = try await latestVersion("default")
        try await observer.waitForETag(defaultVersion)
        try await Deadline.wait("the observation on the server", timeout: 10) {
            observer.receivedResponses.contains { $0.contains("Observe:") }
        }

        let outcome = try await assign("crowded-venues", ["device": "BRK-1201"])
        XCTAssertEqual(outcome["devices_changed"] as? Int, 1)
        let pushed = try await latestVersion("crowded-venues")
        try await observer.waitForETag(pushed)
        let notification = try XCTUnwrap(observer.receivedResponses.last)
        XCTAssertTrue(notification.contains("t:CON"), "profile notifications are confirmable: \(notification)")

        let pending = try await deviceProfile("BRK-1201")
        XCTAssertEqual(pending["progress"] as? String, "pending")
        let report = #"{"id":"crowded-venues","version":\#(pushed),"result":"applied"}"#
        XCTAssertEqual(try client.send("PUT", uri("/v1/profile/applied"), payload: report, contentFormat: 50).code, "2.04")
        _ = try await waitForProgress("BRK-1201", "applied")
        let status = try cli.run(["profile", "status", "--profile", "crowded-venues"])
        XCTAssertEqual(status.status, 0, "\(status)")
        XCTAssertTrue(status.stdout.contains("crowded-venues@\(pushed)"), status.stdout)
    }

    func testAnOfflineDeviceLearnsTheNewVersionWhenItRegisters() async throws {
        try await admin.addSite("old-compound", county: "140802", category: "rental-old-housing")
        let client = try await installedDevice("BRK-1301", site: "old-compound")
        XCTAssertEqual(try client.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50).code, "2.04")
        // Precedence: site beats category.
        _ = try await assign("care-culture-religion", ["site": "old-compound"])
        let siteVersion = try await latestVersion("care-culture-religion")
        let again = try client.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50)
        XCTAssertTrue(again.payload.contains(#""profile_version":\#(siteVersion)"#), again.payload)
        // Device beats site; removing it falls back to the site's.
        _ = try await assign("default", ["device": "BRK-1301"])
        let defaultVersion = try await latestVersion("default")
        XCTAssertTrue(try client.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50)
            .payload.contains(#""profile_version":\#(defaultVersion)"#))
        let removed = try await admin.send("DELETE", "/api/v1/profile-assignments?device=BRK-1301", body: nil)
        XCTAssertEqual(removed.status, 200, removed.text)
        XCTAssertTrue(try client.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50)
            .payload.contains(#""profile_version":\#(siteVersion)"#))
    }

    func testARejectedProfileShowsInStatusWithItsReason() async throws {
        let client = try await provisionedClient("BRK-1401")
        XCTAssertEqual(try client.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50).code, "2.01")
        _ = try await assign("ev-charging", ["device": "BRK-1401"])
        let version = try await latestVersion("ev-charging")
        let reason = "power.limit_w: 7500 is above this breaker's 6300 W rating"
        let report = #"{"id":"ev-charging","version":\#(version),"result":"rejected","reason":"\#(reason)"}"#
        XCTAssertEqual(try client.send("PUT", uri("/v1/profile/applied"), payload: report, contentFormat: 50).code, "2.04")
        let state = try await waitForProgress("BRK-1401", "rejected")
        XCTAssertEqual((state["report"] as? [String: Any])?["reason"] as? String, reason)
        let status = try await admin.get("/api/v1/profile-status?profile=ev-charging").json
        let attention = try XCTUnwrap(status["attention"] as? [[String: Any]])
        XCTAssertEqual(attention.first?["serial"] as? String, "BRK-1401")
        XCTAssertEqual(attention.first?["reason"] as? String, reason)
        let bad = try client.send("PUT", uri("/v1/profile/applied"), payload: #"{"id":"ev-charging","version":1,"result":"maybe"}"#, contentFormat: 50)
        XCTAssertEqual(bad.code, "4.00", "\(bad)")
        XCTAssertTrue(bad.output.contains("result"), bad.output)
    }

    func testAProfileTheModelCannotCarryOutIsRefusedForThatDeviceAndNeverPushed() async throws {
        // BF-100 is certified without arc_extinguish (ServerTestCase): an arc-trip profile is refused for it.
        let pushed = try await admin.send("POST", "/api/v1/profiles", body: try arcTripProfile())
        XCTAssertEqual(pushed.status, 201, pushed.text)
        let client = try await provisionedClient("BRK-1501")
        XCTAssertEqual(try client.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50).code, "2.01")
        let outcome = try await assign("arc-trip", ["device": "BRK-1501"])
        let refused = try XCTUnwrap(outcome["refused"] as? [[String: Any]])
        XCTAssertEqual(refused.first?["serial"] as? String, "BRK-1501")
        XCTAssertTrue((refused.first?["reasons"] as? [String])?.first?.contains("arc_extinguish") ?? false, "\(refused)")
        let profile = try client.send("GET", uri("/v1/profile"))
        XCTAssertFalse(profile.payload.contains("arc-trip"), "never pushed: \(profile.payload)")
        XCTAssertTrue(profile.payload.contains(#""id":"default""#), profile.payload)
    }

    func testTheCLIValidatesOfflineAndDiffsVersions() async throws {
        let good = server.profilesDirectory.appendingPathComponent("default.json").path
        let valid = try CLIRunner.execute(["profile", "validate", good])
        XCTAssertEqual(valid.status, 0, "\(valid)")
        let badFile = pki.directory.appendingPathComponent("bad.json")
        try Data(#"{"id":"bad","site_category":"commerce","leakage":{"warn_ma":400,"alarm_ma":300},"power":{"limit_w":50}}"#.utf8).write(to: badFile)
        let invalid = try CLIRunner.execute(["profile", "validate", badFile.path])
        XCTAssertEqual(invalid.status, 1, "\(invalid)")
        XCTAssertTrue(invalid.stdout.contains("leakage.warn_ma") && invalid.stdout.contains("power.limit_w"), invalid.stdout)

        let changed = pki.directory.appendingPathComponent("commerce.json")
        try shippedProfile("commerce") { $0.set("reporting", "telemetry_interval_s", 90) }.write(to: changed)
        let before = try await latestVersion("commerce")
        let push = try cli.run(["profile", "push", changed.path])
        XCTAssertEqual(push.status, 0, "\(push)")
        let after = try await latestVersion("commerce")
        XCTAssertGreaterThan(after, before)
        let again = try cli.run(["profile", "push", changed.path])
        XCTAssertTrue(again.stdout.contains("unchanged"), "\(again)")
        let diff = try cli.run(["profile", "diff", "commerce", "\(before)", "\(after)"])
        XCTAssertEqual(diff.status, 0, "\(diff)")
        XCTAssertTrue(diff.stdout.contains("reporting.telemetry_interval_s: 120 → 90"), diff.stdout)
    }
}
