import FleetTesting
import Foundation
import XCTest

/// Tokens and roles, and the validation of models and sites, through the real binary and CLI.
final class RolesAndRegistryTests: ServerTestCase {
    var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }

    func testTokensAreCreatedListedAndRevokedAndARevokedTokenGets401() async throws {
        let created = try cli.run(["token", "create", "--name", "night shift", "--role", "supervisor", "--expires-in", "30d"])
        XCTAssertEqual(created.status, 0, "\(created)")
        let secret = try XCTUnwrap(created.stdout.split(separator: "\n").last.map(String.init))
        XCTAssertTrue(secret.hasPrefix("bft_"), created.stdout)
        let supervisor = admin.with(token: secret)
        let read = try await supervisor.get("/api/v1/devices")
        XCTAssertEqual(read.status, 200, read.text)

        let listed = try cli.run(["token", "list", "--json"])
        XCTAssertEqual(listed.status, 0, "\(listed)")
        XCTAssertFalse(listed.stdout.contains(secret), "the secret is shown once, never listed")
        let tokens = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])["tokens"] as? [[String: Any]]
        let entry = try XCTUnwrap(tokens?.first { $0["name"] as? String == "night shift" })
        XCTAssertEqual(entry["role"] as? String, "supervisor")
        XCTAssertNil(entry["hash"], "hashes never leave the server")
        XCTAssertNotNil(entry["expires_at"] as? String)
        let id = try XCTUnwrap(entry["id"] as? String)

        let revoked = try cli.run(["token", "revoke", id])
        XCTAssertEqual(revoked.status, 0, "\(revoked)")
        let refused = try await supervisor.get("/api/v1/devices")
        XCTAssertEqual(refused.status, 401, refused.text)
        XCTAssertEqual(refused.contentType, "application/problem+json")
        XCTAssertTrue((refused.json["detail"] as? String ?? "").contains("revoked"), refused.text)
        let after = try await admin.get("/api/v1/tokens")
        let kept = (after.json["tokens"] as? [[String: Any]])?.first { $0["id"] as? String == id }
        XCTAssertNotNil(kept?["revoked_at"] as? String, "a revoked token stays listed with when")
    }

    func testTokenCreationValidatesRoleCountiesAndExpiry() async throws {
        let noCounty = try cli.run(["token", "create", "--name", "crew", "--role", "installer"])
        XCTAssertNotEqual(noCounty.status, 0)
        XCTAssertTrue(noCounty.output.contains("--counties: an installer token needs at least one county"), "\(noCounty)")
        let badCounty = try cli.run(["token", "create", "--name", "crew", "--role", "installer", "--counties", "14080"])
        XCTAssertTrue(badCounty.output.contains("--counties: 14080 is not six digits"), "\(badCounty)")
        let badExpiry = try cli.run(["token", "create", "--name", "crew", "--role", "admin", "--expires-in", "5x"])
        XCTAssertNotEqual(badExpiry.status, 0, "\(badExpiry)")

        let api = try await admin.post("/api/v1/tokens", json: ["name": "", "role": "owner", "expires_in_s": 10])
        XCTAssertEqual(api.status, 400, api.text)
        XCTAssertEqual(fields(api), ["expires_in_s", "name", "role"])
        let tokens = try await admin.get("/api/v1/tokens").json["tokens"] as? [[String: Any]]
        XCTAssertEqual(tokens?.count, 1, "only the local admin token: nothing written on a refused request")
    }

    /// Every write endpoint of the route table (read from the server itself) refuses a supervisor with a
    /// 403 problem naming the roles it needs.
    func testTheSupervisorRoleIsRefusedOnEveryWrite() async throws {
        let supervisor = admin.with(token: try await admin.createToken(name: "auditor", role: "supervisor").secret)
        let table = try await supervisor.get("/api/v1/routes")
        XCTAssertEqual(table.status, 200, table.text)
        let routes = try XCTUnwrap(table.json["routes"] as? [[String: Any]])
        let writes = routes.filter { ($0["method"] as? String) != "GET" && !(($0["roles"] as? [String]) ?? []).isEmpty }
        XCTAssertGreaterThanOrEqual(writes.count, 11, "the route table lists the write endpoints")
        for route in writes {
            let method = try XCTUnwrap(route["method"] as? String)
            let roles = try XCTUnwrap(route["roles"] as? [String])
            XCTAssertFalse(roles.contains("supervisor"), "\(route)")
            let path = try XCTUnwrap(route["path"] as? String)
                .replacingOccurrences(of: "{serial}", with: "BRK-0001").replacingOccurrences(of: "{id}", with: "x")
                .replacingOccurrences(of: "{code}", with: "BF-100")
            let answer = try await supervisor.send(method, path, body: Data("{}".utf8))
            XCTAssertEqual(answer.status, 403, "\(method) \(path): \(answer.text)")
            XCTAssertEqual(answer.contentType, "application/problem+json", "\(method) \(path)")
            let detail = answer.json["detail"] as? String ?? ""
            XCTAssertTrue(detail.contains("requires") && detail.contains(roles.contains("installer") ? "admin, installer" : "role admin"),
                          "\(method) \(path): \(detail)")
        }
    }

    func testModelValidationNamesTheFieldAndTheBound() async throws {
        let bad = try await admin.post("/api/v1/models", json: [
            "code": "BF 1", "manufacturer": "Acme", "certification_number": "x", "valid_from": "2026-01-01",
            "valid_until": "2025-01-01", "rated_current_a": 1000, "poles": 5, "capabilities": ["teleport"],
        ])
        XCTAssertEqual(bad.status, 400, bad.text)
        XCTAssertEqual(fields(bad), ["capabilities", "certification_number", "code", "poles", "rated_current_a", "valid_until"])
        let messages = (bad.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        XCTAssertTrue(messages.contains("poles 5 is outside 1–4"), "\(messages)")
        XCTAssertTrue(messages.contains("rated_current_a 1000.0 is outside 1–630 A"), "\(messages)")
        let command = try cli.run(["model", "add", "BF-7", "--manufacturer", "A", "--ccc", "2026", "--valid-from", "2026-01-01",
                               "--valid-until", "2027-01-01", "--rated-current", "32", "--poles", "7"])
        XCTAssertNotEqual(command.status, 0)
        XCTAssertTrue(command.output.contains("--poles: 7 is outside 1–4"), "\(command)")
        let models = try await admin.get("/api/v1/models").json["models"] as? [[String: Any]]
        XCTAssertEqual(models?.compactMap { $0["code"] as? String }, ["BF-100"], "nothing written")

        let uncertified = try await admin.post("/api/v1/devices", json: ["serial": "BRK-0300", "model": "BF-999"])
        XCTAssertEqual(uncertified.status, 400, uncertified.text)
        XCTAssertEqual(fields(uncertified), ["model"])
    }

    func testSiteValidationNamesTheFieldAndTheBound() async throws {
        let bad = try await admin.post("/api/v1/sites", json: [
            "id": "Yanhu Market", "name": "", "category": "default", "county": "14080", "address": "1 Road",
            "manager": ["name": "Li", "phone": "call me", "webhook_url": "http://hooks.example.com"],
        ])
        XCTAssertEqual(bad.status, 400, bad.text)
        XCTAssertEqual(fields(bad), ["category", "county", "id", "manager.phone", "manager.webhook_url", "name"])
        let command = try cli.run(["site", "add", "yanhu", "--name", "Yanhu", "--category", "shops", "--county", "140802",
                               "--address", "1 Road", "--manager-name", "Li", "--manager-phone", "+86 359 1234567"])
        XCTAssertNotEqual(command.status, 0)
        XCTAssertTrue(command.output.contains("--category: shops is not one of commerce,"), "\(command)")
        let sites = try await admin.get("/api/v1/sites").json["sites"] as? [[String: Any]]
        XCTAssertEqual(sites?.count, 0, "nothing written")

        let good = try cli.run(["site", "add", "yanhu-market", "--name", "盐湖市场", "--category", "commerce", "--county", "140802",
                                "--address", "1 Road", "--manager-name", "Li", "--manager-phone", "+86 359 1234567"])
        XCTAssertEqual(good.status, 0, "\(good)")
        let shown = try await admin.get("/api/v1/sites/yanhu-market").json
        XCTAssertEqual(shown["name"] as? String, "盐湖市场")
        XCTAssertEqual(shown["category"] as? String, "commerce")
    }

    private func fields(_ answer: AdminClient.Answer) -> [String] {
        ((answer.json["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }.sorted()
    }
}
