import FleetTesting
import Foundation
import XCTest

/// The OpenAPI document as served, against the router of a running server, and strict request bodies
/// over HTTP and through the CLI.
final class OpenAPITests: ServerTestCase {
    var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }

    func testTheDocumentIsServedWithoutATokenAndIsOpenAPI31() async throws {
        let answer = try await AdminClient(baseURL: server.baseURL, token: nil).get("/api/v1/openapi.json")
        XCTAssertEqual(answer.status, 200, answer.text)
        XCTAssertEqual(answer.contentType, "application/json")
        XCTAssertTrue((answer.json["openapi"] as? String)?.hasPrefix("3.1.") ?? false, "\(answer.json["openapi"] ?? "none")")
        XCTAssertNotNil(answer.json["paths"] as? [String: Any])
    }

    /// Every route the router registers is documented with its method and roles, and every documented
    /// operation is registered: the document cannot drift from `AdminAPI.routes()`.
    func testEveryRegisteredRouteIsDocumentedAndNothingElse() async throws {
        let table = try await admin.get("/api/v1/routes")
        XCTAssertEqual(table.status, 200, table.text)
        let registered = Set(try XCTUnwrap(table.json["routes"] as? [[String: Any]]).map { route in
            "\(route["method"] as? String ?? "?") \(route["path"] as? String ?? "?") \((route["roles"] as? [String] ?? []).sorted())"
        })
        let document = try await admin.get("/api/v1/openapi.json").json
        var documented = Set<String>()
        for (path, item) in try XCTUnwrap(document["paths"] as? [String: [String: Any]]) {
            for (method, operation) in item {
                let roles = ((operation as? [String: Any])?["x-roles"] as? [String] ?? []).sorted()
                documented.insert("\(method.uppercased()) \(path) \(roles)")
            }
        }
        XCTAssertEqual(registered.subtracting(documented).sorted(), [], "registered but not documented")
        XCTAssertEqual(documented.subtracting(registered).sorted(), [], "documented but not registered")
        XCTAssertGreaterThan(registered.count, 30)
    }

    func testBodiesAreDecodedStrictlyWithEveryBadFieldNamed() async throws {
        let boolean = try await admin.post("/api/v1/claims", json: ["site": "yanhu-market", "ttl_s": true])
        XCTAssertEqual(boolean.status, 400, boolean.text)
        XCTAssertEqual(boolean.contentType, "application/problem+json")
        XCTAssertEqual(errors(boolean), ["ttl_s: ttl_s must be an integer"])

        let wrongType = try await admin.post("/api/v1/tokens", json: ["name": "crew", "role": 3])
        XCTAssertEqual(wrongType.status, 400, wrongType.text)
        XCTAssertEqual(errors(wrongType), ["role: role must be a string"])

        let missing = try await admin.post("/api/v1/sites", json: ["id": "yanhu-market", "category": "commerce", "manager": ["name": 1]])
        XCTAssertEqual(missing.status, 400, missing.text)
        XCTAssertEqual(errors(missing), [
            "address: address is required", "county: county is required", "manager.name: manager.name must be a string",
            "manager.phone: manager.phone is required", "name: name is required",
        ])
        let sites = try await admin.get("/api/v1/sites").json["sites"] as? [[String: Any]]
        XCTAssertEqual(sites?.count, 0, "nothing written")
    }

    func testTheCLIShowsTheServersProblemFieldByField() throws {
        let run = try cli.run(["site", "add", "yanhu", "--name", "Yanhu", "--category", "commerce", "--county", "140802",
                               "--address", "1 Road", "--manager-name", "Li", "--manager-phone", "call me"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.output.contains("400 Invalid request"), run.output)
        XCTAssertTrue(run.output.contains("manager.phone"), run.output)
    }

    private func errors(_ answer: AdminClient.Answer) -> [String] {
        ((answer.json["errors"] as? [[String: Any]]) ?? []).map {
            "\($0["field"] as? String ?? "?"): \($0["message"] as? String ?? "?")"
        }.sorted()
    }
}
