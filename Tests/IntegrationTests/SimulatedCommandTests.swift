import FleetTesting
import Foundation
import XCTest

/// `breaker-sim` breakers execute commands the admin issues through the real CLI and API: a trip opens the
/// breaker, and under 20 % datagram loss every one of 200 commands is carried out exactly once.
final class SimulatedCommandTests: ServerTestCase {
    private var simulator: Process?
    private var commandLog: URL { pki.directory.appendingPathComponent("commands.log") }
    private var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }

    override func tearDown() async throws {
        if let simulator, simulator.isRunning {
            simulator.interrupt()
            simulator.waitUntilExit()
        }
        if let run = testRun, run.failureCount > 0, let pki {
            let log = (try? String(contentsOf: pki.directory.appendingPathComponent("simulator.log"), encoding: .utf8)) ?? ""
            print("--- simulator log ---\n\(log)")
        }
        try await super.tearDown()
    }

    /// Provisions `count` remote-capable breakers at a site and runs them in `breaker-sim run`.
    private func runFleet(_ count: Int, extra: [String] = []) async throws -> [String] {
        try await admin.certify("BF-200", capabilities: ["temperature", "leakage", "remote_trip", "remote_reset"])
        try await admin.addSite("sim-market", county: "140802", category: "commerce")
        let folder = try provisionSimulated(count, model: "BF-200", site: "sim-market", prefix: "SIMC-")
        let simulator = try startSimulator([
            "--certs", folder.path, "--devices", "\(count)", "--model", "BF-200",
            "--caps", "temperature,leakage,remote_trip,remote_reset", "--duration", "600", "--tick", "0.5",
            "--heartbeat", "2", "--ack-timeout", "1", "--command-log", commandLog.path,
        ] + extra)
        self.simulator = simulator
        let serials = (1...count).map { String(format: "SIMC-%06d", $0) }
        try await Deadline.wait("\(count) simulated breakers to register", timeout: 60) {
            for serial in serials {
                let device = try await self.admin.get("/api/v1/devices/\(serial)").json["device"] as? [String: Any]
                if device?["registered_at"] is NSNull || device?["registered_at"] == nil { return false }
            }
            return true
        }
        return serials
    }

    /// The command log's lines: id → the results the breakers decided for it.
    private func decided() -> [String: [String]] {
        let text = (try? String(contentsOf: commandLog, encoding: .utf8)) ?? ""
        var results: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 4 else { continue }
            results[String(fields[2]), default: []].append(String(fields[3]))
        }
        return results
    }

    func testATripIssuedThroughTheCLIOpensTheSimulatedBreaker() async throws {
        let serial = try await runFleet(1)[0]
        let trip = try cli.run(["command", "trip", serial, "--reason", "arc fault reported, night shift", "--wait", "30s"])
        XCTAssertEqual(trip.status, 0, "\(trip)")
        XCTAssertTrue(trip.stdout.contains("done, breaker open"), trip.stdout)
        let id = try XCTUnwrap(trip.stdout.split(separator: ":").first.map(String.init))
        XCTAssertEqual(decided()[id], ["done"], "executed once on the device")
        let shown = try await admin.get("/api/v1/commands/\(id)").json
        let states = (shown["transitions"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
        XCTAssertEqual(states.last, "done")
        XCTAssertTrue(states.contains("delivered"), "\(states)")
    }

    func testUnderTwentyPercentDatagramLossEachOf200CommandsIsDoneExactlyOnceOnTheDevice() async throws {
        let serials = try await runFleet(4, extra: ["--packet-loss", "20%"])
        var ids: [String] = []
        for index in 0..<200 {
            let answer = try await admin.post("/api/v1/commands", json: [
                "serial": serials[index % serials.count], "action": "self_test", "reason": "loss test \(index)", "ttl_s": 3600,
            ])
            XCTAssertEqual(answer.status, 201, answer.text)
            ids.append(try XCTUnwrap(answer.json["id"] as? String))
        }
        var done = 0
        do {
            try await Deadline.wait("200 commands to be done", timeout: 240, interval: 1) {
                let list = try await self.admin.get("/api/v1/commands?state=done&limit=500").json["commands"] as? [Any]
                done = list?.count ?? 0
                return done == 200
            }
        } catch {
            XCTFail("\(error): \(done) of 200 done")
            throw error
        }
        let results = decided()
        for id in ids {
            XCTAssertEqual(results[id], ["done"], "\(id) decided exactly once, done")
        }
        XCTAssertEqual(Set(results.keys), Set(ids), "nothing else was executed")
    }
}
