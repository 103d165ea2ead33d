import FleetTesting
import Foundation
import XCTest

/// `breakerfleet device import FILE.csv` against a real server.
final class ImportTests: ServerTestCase {
    var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }

    func write(_ csv: String) throws -> String {
        let file = pki.directory.appendingPathComponent("import-\(UUID().uuidString.prefix(8)).csv")
        try Data(csv.utf8).write(to: file)
        return file.path
    }

    func deviceCount() async throws -> Int {
        (try await admin.get("/api/v1/devices?limit=1000").json["devices"] as? [Any])?.count ?? -1
    }

    func testErrorsOnLines3And7AreReportedAsSuchAndNothingIsWritten() async throws {
        try await admin.addSite("yanhu-market", county: "140802")
        let csv = """
            serial,model,site,circuit
            BRK-0801,BF-100,yanhu-market,L1
            BRK-0802,BF-999,yanhu-market,L2
            BRK-0803,BF-100,yanhu-market,L3
            BRK-0804,BF-100,yanhu-market,L4
            BRK-0805,BF-100,yanhu-market,L5
            BRK-0806,BF-100,no-such-site,L6
            BRK-0807,BF-100,yanhu-market,L7

            """
        let file = try write(csv)
        let run = try cli.run(["device", "import", file])
        XCTAssertNotEqual(run.status, 0, "\(run)")
        let reported = run.stderr.split(separator: "\n").filter { $0.hasPrefix("line ") }.map(String.init)
        XCTAssertEqual(reported, [
            "line 3: model: model BF-999 is not a certified model",
            "line 7: site: no site no-such-site",
        ], "\(run)")
        XCTAssertTrue(run.stderr.contains("nothing written: 2 invalid row(s) of 7"), "\(run)")
        let none = try await deviceCount()
        XCTAssertEqual(none, 0, "nothing written")

        // The API says the same in one validation problem, naming row and field.
        let rows: [[String: Any]] = [
            ["line": 2, "serial": "BRK-0801", "model": "BF-100", "site": "yanhu-market", "circuit": "L1"],
            ["line": 3, "serial": "BRK-0802", "model": "BF-999", "site": "yanhu-market", "circuit": "L2"],
        ]
        let api = try await admin.post("/api/v1/devices/import", json: ["rows": rows])
        XCTAssertEqual(api.status, 400, api.text)
        let errors = api.json["errors"] as? [[String: Any]]
        XCTAssertEqual(errors?.first?["field"] as? String, "rows[1].model")
        XCTAssertEqual(errors?.first?["message"] as? String, "line 3: model BF-999 is not a certified model")

        let skipped = try cli.run(["device", "import", file, "--skip-invalid"])
        XCTAssertEqual(skipped.status, 0, "\(skipped)")
        XCTAssertTrue(skipped.stdout.contains("5 created, 0 unchanged, 2 invalid (skipped)"), "\(skipped)")
        let again = try cli.run(["device", "import", file, "--skip-invalid"])
        XCTAssertTrue(again.stdout.contains("0 created, 5 unchanged, 2 invalid (skipped)"), "idempotent: \(again)")
        let five = try await deviceCount()
        XCTAssertEqual(five, 5)
        let device = try await admin.get("/api/v1/devices/BRK-0801").json["device"] as? [String: Any]
        XCTAssertEqual(device?["stored_state"] as? String, "provisioned")
        let history = try await admin.get("/api/v1/devices/BRK-0801/installations").json
        XCTAssertEqual((history["assignment"] as? [String: Any])?["circuit"] as? String, "L1")
    }

    func testDuplicatesAndBadShapeAcrossTheFileAreReportedWithTheirLines() async throws {
        try await admin.addSite("yanhu-market", county: "140802")
        let file = try write("""
            circuit,site,model,serial
            L1,yanhu-market,BF-100,BRK-0901
            L1,yanhu-market,BF-100,BRK-0902
            L3,yanhu-market,BF-100,BRK-0901
            "L4, east",yanhu-market,BF-100
            """)
        let run = try cli.run(["device", "import", file])
        XCTAssertNotEqual(run.status, 0)
        let reported = run.stderr.split(separator: "\n").filter { $0.hasPrefix("line ") }.map(String.init)
        XCTAssertEqual(reported, [
            "line 3: circuit: circuit L1 of site yanhu-market is also on line 2",
            "line 4: serial: serial BRK-0901 is also on line 2",
            "line 5: row: expected 4 fields, found 3",
        ], "\(run)")
        let none = try await deviceCount()
        XCTAssertEqual(none, 0)
    }

    /// Not a timing assertion: prints how long 10 000 rows take through the CLI (validation pass + import).
    func testTenThousandRows() async throws {
        for site in 0..<100 { try await admin.addSite("site-\(site)", county: "140802") }
        var csv = "serial,model,site,circuit\n"
        for index in 0..<10_000 {
            csv += "BRK-\(String(format: "%06d", index)),BF-100,site-\(index % 100),L\(index / 100)\n"
        }
        let file = try write(csv)
        let started = Date()
        let run = try cli.run(["device", "import", file])
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(run.status, 0, "\(run)")
        XCTAssertTrue(run.stdout.contains("10000 created, 0 unchanged, 0 invalid"), "\(run)")
        print("imported 10 000 rows in \(String(format: "%.2f", seconds)) s (CLI wall time): \(run.stdout)")
        let rerunStarted = Date()
        let rerun = try cli.run(["device", "import", file])
        XCTAssertTrue(rerun.stdout.contains("0 created, 10000 unchanged"), "\(rerun)")
        print("re-ran the same 10 000 rows in \(String(format: "%.2f", Date().timeIntervalSince(rerunStarted))) s")
        let last = try await admin.get("/api/v1/devices/BRK-009999").json["device"] as? [String: Any]
        XCTAssertEqual(last?["model"] as? String, "BF-100")
    }
}
