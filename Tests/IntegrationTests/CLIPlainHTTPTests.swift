import FleetTesting
import Foundation
import XCTest

/// The CLI sends its bearer token (or a claim code) in every request: over plain http only to this machine.
final class CLIPlainHTTPTests: ServerTestCase {
    func testPlainHTTPToAnotherMachineIsRefusedBeforeConnectingUnlessInsecureHTTPIsGiven() async throws {
        // 192.0.2.1 is TEST-NET-1: nothing answers there, so only a refusal before connecting ends quickly.
        let started = Date()
        let remote = try CLIRunner(server: URL(string: "http://192.0.2.1:8080")!, tokenFile: server.adminTokenURL)
            .run(["device", "list"])
        XCTAssertNotEqual(remote.status, 0, "\(remote)")
        XCTAssertTrue(remote.output.contains("--server: http://192.0.2.1:8080 is plain http to another machine"), "\(remote)")
        XCTAssertTrue(remote.output.contains("--insecure-http"), "the message names the flag: \(remote)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "refused before any connection attempt")

        let claim = try CLIRunner(server: URL(string: "http://fleet.example.com")!, tokenFile: nil)
            .run(["claim", "redeem", "CODE", "BRK-0001", "--circuit", "L1"])
        XCTAssertTrue(claim.output.contains("--insecure-http"), "a claim code is a credential too: \(claim)")

        // Loopback http works as before, by address and by name.
        let local = try CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL).run(["device", "list"])
        XCTAssertEqual(local.status, 0, "\(local)")
        let byName = try CLIRunner(server: URL(string: "http://localhost:\(server.httpPort)")!, tokenFile: server.adminTokenURL)
            .run(["device", "list"])
        XCTAssertEqual(byName.status, 0, "\(byName)")

        // 0.0.0.0 is not a loopback name, yet Linux delivers a connection to it locally: the flag's way through.
        let unspecified = CLIRunner(server: URL(string: "http://0.0.0.0:\(server.httpPort)")!, tokenFile: server.adminTokenURL)
        let refused = try unspecified.run(["device", "list"])
        XCTAssertTrue(refused.output.contains("--insecure-http"), "\(refused)")
        let allowed = try unspecified.run(["device", "list", "--insecure-http"])
        XCTAssertEqual(allowed.status, 0, "--insecure-http lets it through: \(allowed)")
    }
}
