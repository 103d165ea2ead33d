import FleetTesting
import Foundation
import XCTest

/// The simulator's breakers against the real server: they observe `/v1/profile`, apply what fits them,
/// reject what does not, and report both; the status shows it.
final class SimulatedFleetProfileTests: ServerTestCase {
    private var simulator: Process?

    override func tearDown() async throws {
        if let simulator, simulator.isRunning {
            simulator.interrupt()
            simulator.waitUntilExit()
        }
        try await super.tearDown()
    }

    private func assign(_ profile: String, _ kind: String, _ key: String) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["profile": profile, kind: key])
        let answer = try await admin.send("PUT", "/api/v1/profile-assignments", body: body)
        XCTAssertEqual(answer.status, 200, answer.text)
    }

    /// Waits until `count` devices confirmed `profile` (grouped by profile: row `profile@version`).
    private func waitForApplied(_ profile: String, count: Int) async throws {
        var last: Any = ""
        do {
            try await Deadline.wait("\(count) simulated devices to apply \(profile)", timeout: 30) {
                let status = try await self.admin.get("/api/v1/profile-status?profile=\(profile)").json
                last = status
                let rows = status["rows"] as? [[String: Any]] ?? []
                return rows.contains { ($0["group"] as? String)?.hasPrefix("\(profile)@") == true && ($0["counts"] as? [String: Int])?["applied"] == count }
            }
        } catch {
            XCTFail("\(error); last status: \(last)")
            throw error
        }
    }

    func testSimulatedBreakersApplyWhatFitsAndRejectWhatDoesNot() async throws {
        // The model is certified able to extinguish arcs; these units declare they cannot.
        try await admin.certify("BF-ARC", capabilities: ["temperature", "leakage", "arc_detect", "arc_extinguish"])
        try await admin.addSite("sim-market", county: "140802", category: "commerce")
        let folder = try provisionSimulated(3, model: "BF-ARC", site: "sim-market", prefix: "SIMP-")
        let simulator = try startSimulator([
            "--certs", folder.path, "--devices", "3", "--model", "BF-ARC",
            "--caps", "temperature,leakage,arc_detect,remote_trip,remote_reset", "--duration", "120", "--tick", "1",
        ])
        self.simulator = simulator

        // Installed at a commerce site on a new fleet: they start on the commerce profile and confirm it.
        try await waitForApplied("commerce", count: 3)
        // The operator's way: assign and follow the rollout until every device confirmed.
        let cli = CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL)
        let assigned = try cli.run(["profile", "assign", "crowded-venues", "--site", "sim-market", "--wait", "30s"])
        XCTAssertEqual(assigned.status, 0, "\(assigned)")
        XCTAssertTrue(assigned.stdout.contains("3 of 3 device(s) confirmed crowded-venues"), assigned.stdout)

        let pushed = try await admin.send("POST", "/api/v1/profiles", body: try arcTripProfile())
        XCTAssertEqual(pushed.status, 201, pushed.text)
        try await assign("arc-trip", "device", "SIMP-000001")
        var state: [String: Any] = [:]
        try await Deadline.wait("SIMP-000001 to reject arc-trip", timeout: 30) {
            state = try await self.admin.get("/api/v1/devices/SIMP-000001/profile").json
            return state["progress"] as? String == "rejected"
        }
        let reason = (state["report"] as? [String: Any])?["reason"] as? String ?? ""
        XCTAssertTrue(reason.contains("arc_extinguish"), reason)

        simulator.interrupt()
        simulator.waitUntilExit()
        let summary = String(decoding: try Data(contentsOf: pki.directory.appendingPathComponent("simulator.log")), as: UTF8.self)
        XCTAssertTrue(summary.contains("profiles   "), summary)
        XCTAssertTrue(summary.contains("1 rejected"), summary)
    }
}
