import FleetTesting
import Foundation
import XCTest

/// The quarantine is visible to operators: listed by the CLI and the API, counted in `/metrics`. (What goes
/// into it is tested against real SQLite in `QuarantineTests`.)
final class IngestQuarantineAPITests: ServerTestCase {
    func testTheQuarantineIsListedAndCounted() async throws {
        let cli = CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL)
        let listed = try cli.run(["ingest", "quarantine"])
        XCTAssertEqual(listed.status, 0, "\(listed)")
        XCTAssertTrue(listed.stdout.contains("quarantined records: 0"), "\(listed)")
        let answer = try await admin.get("/api/v1/ingest/quarantine?limit=5")
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertEqual((answer.json["records"] as? [Any])?.count, 0)
        let bad = try await admin.get("/api/v1/ingest/quarantine?limit=0")
        XCTAssertEqual(bad.status, 400, "a limit out of range names the field: \(bad.text)")
        XCTAssertTrue(bad.text.contains("limit"), bad.text)
        let metrics = try await admin.get("/metrics").text
        XCTAssertTrue(metrics.contains("breakerfleet_ingest_quarantined_total"), metrics)
    }
}
