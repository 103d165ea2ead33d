import FleetTesting
import Foundation
import XCTest

final class AdminAPITests: ServerTestCase {
    func testWithoutATokenEveryAPICallIs401WithAProblemBody() async throws {
        let anonymous = AdminClient(baseURL: server.baseURL, token: nil)
        for path in ["/api/v1/devices", "/api/v1/devices/BRK-0001"] {
            let answer = try await anonymous.get(path)
            XCTAssertEqual(answer.status, 401, path)
            XCTAssertEqual(answer.contentType, "application/problem+json", path)
            XCTAssertEqual(answer.json["status"] as? Int, 401, path)
        }
        let forged = AdminClient(baseURL: server.baseURL, token: "bft_not-a-real-token")
        let answer = try await forged.post("/api/v1/devices", json: ["serial": "BRK-0009", "model": "BF-100"])
        XCTAssertEqual(answer.status, 401)
        let unchanged = try await admin.get("/api/v1/devices/BRK-0009")
        XCTAssertEqual(unchanged.status, 404, "a refused call changes nothing")
        let health = try await anonymous.get("/healthz")
        XCTAssertEqual(health.status, 200)
    }

    func testProvisioningValidatesAndRefusesDuplicates() async throws {
        let bad = try await admin.post("/api/v1/devices", json: ["serial": "brk 1", "model": ""])
        XCTAssertEqual(bad.status, 400)
        let fields = (bad.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }.sorted()
        XCTAssertEqual(fields, ["model", "serial"])
        let created = try await admin.post("/api/v1/devices", json: ["serial": "BRK-0010", "model": "BF-100"])
        XCTAssertEqual(created.status, 201)
        let duplicate = try await admin.post("/api/v1/devices", json: ["serial": "BRK-0010", "model": "BF-100"])
        XCTAssertEqual(duplicate.status, 409)
        XCTAssertEqual(duplicate.contentType, "application/problem+json")
        let list = try await admin.get("/api/v1/devices").json["devices"] as? [[String: Any]]
        XCTAssertEqual(list?.map { $0["serial"] as? String }, ["BRK-0010"])
        XCTAssertEqual(list?.first?["state"] as? String, "provisioned")
    }

    func testTheCLIProvisionsThroughTheAPIAndTheDeviceChecksIn() async throws {
        let out = pki.directory.appendingPathComponent("cli-out")
        let run = try runCLI(["device", "provision", "BRK-0011", "--model", "BF-100", "--out", out.path,
                              "--server", server.baseURL.absoluteString, "--token-file", server.adminTokenURL.path])
        XCTAssertEqual(run.status, 0, run.output)
        let keyMode = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("BRK-0011.key").path)[.posixPermissions] as? Int
        XCTAssertEqual(keyMode, 0o600)
        let files = DeviceFiles(
            serial: "BRK-0011", certificateURL: out.appendingPathComponent("BRK-0011.crt"),
            keyURL: out.appendingPathComponent("BRK-0011.key"), caURL: out.appendingPathComponent("ca.crt"),
            credential: try .init(certificatePEM: String(contentsOf: out.appendingPathComponent("BRK-0011.crt"), encoding: .utf8), privateKeyPEM: nil))
        let result = try CoAPClient(device: files).send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50)
        XCTAssertEqual(result.code, "2.01", "\(result)")

        _ = try await waitForDevice("BRK-0011") { ($0["device"] as? [String: Any])?["state"] as? String == "active" }
        let list = try runCLI(["device", "list", "--server", server.baseURL.absoluteString], environment: ["BREAKERFLEET_TOKEN": try server.adminToken()])
        XCTAssertEqual(list.status, 0, list.output)
        XCTAssertTrue(list.output.contains("BRK-0011") && list.output.contains("active"), list.output)

        let wrong = try runCLI(["device", "list", "--limit", "5000", "--server", server.baseURL.absoluteString])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.output.contains("--limit: 5000 is outside 1–1000"), wrong.output)
    }

    private func runCLI(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let run = try CLIRunner.execute(arguments, environment: environment)
        return (run.status, run.output)
    }
}
