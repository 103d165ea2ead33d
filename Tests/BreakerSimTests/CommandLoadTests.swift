import FleetTesting
import Foundation
import XCTest

/// `breaker-sim load --mode commands` end to end against a real server: 20 devices observe
/// `/v1/commands`, 20 commands issued through the admin API each reach their device, come back done and
/// are recorded, and a site trip of all 20 does too; the reports are the JSON lines scripts/bench reads.
final class CommandLoadTests: XCTestCase {
    private var pki: TestPKI!
    private var server: ServerProcess!

    override func setUp() async throws {
        pki = try TestPKI()
        server = ServerProcess(pki: pki)
        try await server.start()
    }

    override func tearDown() async throws {
        try? await server?.stop()
        if let run = testRun, run.failureCount > 0, let server { print("--- server log ---\n\(server.log)") }
        pki?.remove()
    }

    func testCommandsReachTheirDevicesAndComeBackDoneAndRecorded() async throws {
        let admin = AdminClient(baseURL: server.baseURL, token: try server.adminToken())
        try await admin.certify("BF-CMD", capabilities: ["temperature", "leakage", "remote_trip", "remote_reset"])
        try await admin.addSite("cmd-market", county: "140802")
        let folder = pki.directory.appendingPathComponent("commanded")
        let provision = try CLIRunner.execute([
            "provision", "--count", "20", "--out", folder.path, "--issue-via", server.baseURL.absoluteString,
            "--token-file", server.adminTokenURL.path, "--model", "BF-CMD", "--site", "cmd-market", "--serial-prefix", "CMD-",
        ], product: "breaker-sim")
        XCTAssertEqual(provision.status, 0, provision.output)

        let run = try CLIRunner.execute([
            "load", "--mode", "commands", "--server", server.coapsURI, "--certs", folder.path, "--sessions", "20",
            "--model", "BF-CMD", "--api", server.baseURL.absoluteString, "--api-token-file", server.adminTokenURL.path,
            "--command-rate", "10", "--phase", "issue=2", "--phase", "site-trip=cmd-market", "--json",
        ], product: "breaker-sim")
        XCTAssertEqual(run.status, 0, run.description)
        let reports = run.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let phases = reports.compactMap { $0["phase"] as? String }
        XCTAssertEqual(phases, ["connected", "issue", "site_trip"], run.description)
        guard reports.count == 3 else { return }
        XCTAssertEqual(reports[0]["devices"] as? Int, 20, run.description)

        let issue = reports[1]
        XCTAssertEqual(issue["issued"] as? Int, 20, run.description)
        for count in ["received", "acknowledged", "recorded"] { XCTAssertEqual(issue[count] as? Int, 20, "\(count): \(run)") }
        XCTAssertEqual(issue["failures"] as? [String: Int], [:], run.description)
        let receipt = try XCTUnwrap(issue["receipt_ms"] as? [String: Double], run.description)
        let result = try XCTUnwrap(issue["result_ms"] as? [String: Double], run.description)
        let recorded = try XCTUnwrap(issue["recorded_ms"] as? [String: Double], run.description)
        // Each later point of a command's life is later than the one before it.
        XCTAssertLessThanOrEqual(receipt["p50"]!, result["p50"]!)
        XCTAssertLessThanOrEqual(result["p50"]!, recorded["p50"]!)

        let trip = reports[2]
        XCTAssertEqual(trip["issued"] as? Int, 20, run.description)
        XCTAssertEqual(trip["acknowledged"] as? Int, 20, run.description)
        XCTAssertEqual(trip["refused"] as? Int, 0, run.description)
        XCTAssertNotNil(trip["all_recorded_ms"] as? Double, run.description)

        // The server agrees: 40 trips, every one done.
        let list = try await admin.get("/api/v1/commands?state=done&limit=100").json
        XCTAssertEqual((list["commands"] as? [Any])?.count, 40)
    }
}
