import FleetTesting
import Foundation
import GRDB
import XCTest

/// The audit trail over a real server: admin writes made through the CLI and the API are listed with the
/// token that made them, the chain verifies, and a row changed or deleted in the database file while the
/// server is stopped is named by `audit verify` after a restart.
final class AuditTrailTests: ServerTestCase {
    var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }

    /// Site, provision, install and revoke by an admin token called `ops-alice`, through the CLI.
    private func writesByAlice() async throws -> CLIRunner {
        let alice = try cli(token: try await admin.createToken(name: "ops-alice", role: "admin").secret)
        for arguments in [
            ["site", "add", "yanhu-market", "--name", "Yanhu Market", "--category", "commerce", "--county", "140802",
             "--address", "1 Yanhu Road", "--manager-name", "Li Wei", "--manager-phone", "+86 359 1234567"],
            ["device", "provision", "BRK-0701", "--model", "BF-100", "--out", pki.directory.appendingPathComponent("p").path],
            ["device", "install", "BRK-0701", "--site", "yanhu-market", "--circuit", "1F-AL1 L1"],
            ["device", "revoke", "BRK-0701", "--reason", "stolen from the panel"],
        ] {
            let run = try alice.run(arguments)
            XCTAssertEqual(run.status, 0, "\(arguments): \(run)")
        }
        return alice
    }

    private func records(_ query: String = "") async throws -> [[String: Any]] {
        let answer = try await admin.get("/api/v1/audit\(query)")
        XCTAssertEqual(answer.status, 200, answer.text)
        return answer.json["records"] as? [[String: Any]] ?? []
    }

    /// The sequence number of the (first) record with this action.
    private func sequence(of action: String) async throws -> Int64 {
        let matching = try await records("?action=\(action)")
        let record = try XCTUnwrap(matching.first, "no \(action) record")
        return try XCTUnwrap((record["sequence"] as? NSNumber)?.int64Value)
    }

    func testAdminWritesAreListedWithTheirTokenAndTheChainVerifies() async throws {
        _ = try await writesByAlice()
        let ban = try await admin.post("/api/v1/bans", json: ["kind": "model", "subject": "BF-100", "reason": "recall 2026-7"])
        XCTAssertEqual(ban.status, 201, ban.text)

        let device = try cli.run(["audit", "list", "--device", "BRK-0701"])
        XCTAssertEqual(device.status, 0, "\(device)")
        let lines = device.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first?.split(separator: " ", omittingEmptySubsequences: true).first, "SEQ", device.stdout)
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true)[4] },
                       ["device.provision", "device.install", "device.revoke"], device.stdout)
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.contains("ops-alice") && $0.contains("admin") }, device.stdout)
        XCTAssertTrue(device.stdout.contains("stolen from the panel"), device.stdout)
        XCTAssertTrue(device.stdout.contains("site=yanhu-market"), device.stdout)

        let json = try cli.run(["audit", "list", "--actor", "local-admin", "--action", "ban.", "--json"])
        XCTAssertEqual(json.status, 0, "\(json)")
        let listed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let bans = try XCTUnwrap(listed["records"] as? [[String: Any]])
        XCTAssertEqual(bans.count, 1, json.stdout)
        XCTAssertEqual(bans.first?["target"] as? String, "model:BF-100")
        XCTAssertEqual(bans.first?["reason"] as? String, "recall 2026-7")
        XCTAssertEqual((bans.first?["actor"] as? [String: Any])?["role"] as? String, "admin")
        XCTAssertNotNil((bans.first?["at"] as? String).flatMap(ISO8601DateFormatter().date(from:)))

        let tokens = try await records("?action=token.create")
        XCTAssertEqual(tokens.map { ($0["actor"] as? [String: Any])?["name"] as? String }, ["breakerfleet", "local-admin"],
                       "the server's own token, then alice's")

        let verified = try cli.run(["audit", "verify"])
        XCTAssertEqual(verified.status, 0, "\(verified)")
        let all = try await records("?limit=1000")
        XCTAssertTrue(verified.stdout.contains("audit chain intact: \(all.count) records, head \(all.last?["hash"] as? String ?? "?")"),
                      "\(verified)")
    }

    /// Writes without a token of their own or in bulk: the claim is the actor of its redemption, an import
    /// leaves one record per new device, and a profile assignment names what it was assigned to.
    func testClaimRedemptionsImportsAndAssignmentsAreRecorded() async throws {
        try await admin.addSite("yanhu-market", county: "140802")
        _ = try await admin.provision("BRK-0703", model: "BF-100", into: pki.directory.appendingPathComponent("p"))
        let claim = try await admin.post("/api/v1/claims", json: ["site": "yanhu-market"])
        XCTAssertEqual(claim.status, 201, claim.text)
        let claimID = try XCTUnwrap(claim.json["id"] as? String)
        let redeemed = try await admin.with(token: nil).post(
            "/api/v1/claims/redeem", json: ["code": claim.json["code"] as? String ?? "", "serial": "BRK-0703", "circuit": "L3"])
        XCTAssertEqual(redeemed.status, 200, redeemed.text)
        let imported = try await admin.post("/api/v1/devices/import", json: ["rows": [
            ["line": 2, "serial": "BRK-0704", "model": "BF-100", "site": "yanhu-market", "circuit": "L4"],
            ["line": 3, "serial": "BRK-0705", "model": "BF-100", "site": "yanhu-market", "circuit": "L5"],
        ]])
        XCTAssertEqual(imported.status, 200, imported.text)
        let assigned = try await admin.send("PUT", "/api/v1/profile-assignments", body: try JSONSerialization.data(
            withJSONObject: ["profile": "crowded-venues", "site": "yanhu-market"]))
        XCTAssertEqual(assigned.status, 200, assigned.text)

        let redemption = try await records("?device=BRK-0703&action=device.install")
        XCTAssertEqual(redemption.count, 1)
        XCTAssertEqual(redemption.first?["actor"] as? [String: String], ["name": "claim:\(claimID)", "role": "claim"])
        XCTAssertEqual((redemption.first?["detail"] as? [String: String])?["claim_created_by"], "local-admin")
        let imports = try await records("?action=device.import")
        XCTAssertEqual(imports.map { $0["device"] as? String }, ["BRK-0704", "BRK-0705"])
        XCTAssertEqual(imports.map { ($0["detail"] as? [String: String])?["import_new"] }, ["2", "2"])
        let assignment = try await records("?action=profile.assign")
        XCTAssertEqual(assignment.first?["target"] as? String, "profile:crowded-venues")
        XCTAssertEqual((assignment.first?["detail"] as? [String: String])?["assigned_to"], "site:yanhu-market")
    }

    /// A command's issue and each later change are records of their own, with the token that caused them.
    func testACommandAndItsCancellationAreRecorded() async throws {
        try await admin.certify("BF-200", capabilities: ["temperature", "leakage", "remote_trip", "remote_reset"])
        try await admin.addSite("yanhu-market", county: "140802")
        _ = try await admin.provision("BRK-0706", model: "BF-200", into: pki.directory.appendingPathComponent("p"))
        let installed = try await admin.post("/api/v1/devices/BRK-0706/installation", json: ["site": "yanhu-market", "circuit": "L6"])
        XCTAssertEqual(installed.status, 200, installed.text)
        let trip = try await admin.post("/api/v1/commands", json: ["serial": "BRK-0706", "action": "trip", "reason": "arc fault at night"])
        XCTAssertEqual(trip.status, 201, trip.text)
        let id = try XCTUnwrap(trip.json["id"] as? String)
        let cancelled = try await admin.post("/api/v1/commands/\(id)/cancel", json: [:])
        XCTAssertEqual(cancelled.status, 200, cancelled.text)

        let commands = try await records("?action=command.")
        XCTAssertEqual(commands.map { $0["action"] as? String }, ["command.trip", "command.cancelled"])
        XCTAssertEqual(Set(commands.map { $0["target"] as? String }), ["command:\(id)"])
        XCTAssertEqual(commands.first?["reason"] as? String, "arc fault at night")
        XCTAssertEqual(commands.map { ($0["actor"] as? [String: String])?["name"] }, ["local-admin", "local-admin"])
        let verified = try cli.run(["audit", "verify"])
        XCTAssertEqual(verified.status, 0, "\(verified)")
    }

    func testSupervisorsReadTheTrailInstallersAndStrangersDoNot() async throws {
        let supervisor = admin.with(token: try await admin.createToken(name: "county office", role: "supervisor").secret)
        let installer = admin.with(token: try await admin.createToken(name: "crew", role: "installer", counties: ["140802"]).secret)
        for path in ["/api/v1/audit", "/api/v1/audit/verify"] {
            let read = try await supervisor.get(path)
            XCTAssertEqual(read.status, 200, "\(path): \(read.text)")
            let refused = try await installer.get(path)
            XCTAssertEqual(refused.status, 403, "\(path): \(refused.text)")
            let anonymous = try await admin.with(token: nil).get(path)
            XCTAssertEqual(anonymous.status, 401, "\(path): \(anonymous.text)")
        }
        let bad = try await admin.get("/api/v1/audit?since=yesterday&limit=0&device=not%20a%20serial")
        XCTAssertEqual(bad.status, 400, bad.text)
        XCTAssertTrue(bad.text.contains("since") && bad.text.contains("limit") && bad.text.contains("device"), bad.text)
    }

    func testARowAlteredInTheDatabaseIsNamedByVerify() async throws {
        _ = try await writesByAlice()
        let revoke = try await sequence(of: "device.revoke")
        try await tamperWhileStopped("""
            DROP TRIGGER audit_log_refuses_update;
            UPDATE audit_log SET reason = 'routine maintenance' WHERE sequence = \(revoke);
            """)
        let verified = try cli.run(["audit", "verify"])
        XCTAssertEqual(verified.status, 1, "\(verified)")
        XCTAssertTrue(verified.output.contains("record \(revoke) was altered"), "\(verified)")

        let json = try cli.run(["audit", "verify", "--json"])
        XCTAssertEqual(json.status, 1, "\(json)")
        let answer = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(answer["intact"] as? Bool, false)
        XCTAssertEqual((answer["first_bad_sequence"] as? NSNumber)?.int64Value, revoke)
        XCTAssertEqual(answer["what"] as? String, "altered")
    }

    func testADeletedMiddleRowIsNamedByVerify() async throws {
        _ = try await writesByAlice()
        let install = try await sequence(of: "device.install")
        try await tamperWhileStopped("""
            DROP TRIGGER audit_log_refuses_delete;
            DELETE FROM audit_log WHERE sequence = \(install);
            """)
        let verified = try cli.run(["audit", "verify"])
        XCTAssertEqual(verified.status, 1, "\(verified)")
        XCTAssertTrue(verified.output.contains("record \(install) was removed"), "\(verified)")
    }

    /// Stops the server, runs `sql` on its database file as someone with the file would, and restarts it.
    private func tamperWhileStopped(_ sql: String) async throws {
        try await server.stop()
        let database = try DatabaseQueue(path: server.dataDirectory.appendingPathComponent("fleet.sqlite").path)
        try await database.write { db in try db.execute(sql: sql) }
        try database.close()
        try await server.start()
        admin = AdminClient(baseURL: server.baseURL, token: try server.adminToken())
    }
}
