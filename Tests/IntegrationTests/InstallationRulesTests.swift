import FleetTesting
import Foundation
import XCTest

/// Hole 1 of issue 10, tried as an attacker would: taking a device from another county, with and without
/// a CSR, and with a claim code for another site; and the legitimate move, recorded as one.
final class InstallationRulesTests: ServerTestCase {
    var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }

    /// An installer token for `counties`: its secret and a CLI speaking with it.
    func installer(_ name: String, counties: [String]) async throws -> (secret: String, cli: CLIRunner) {
        let secret = try await admin.createToken(name: name, role: "installer", counties: counties).secret
        let file = pki.directory.appendingPathComponent("token-\(UUID().uuidString.prefix(8))")
        try Data(secret.utf8).write(to: file)
        return (secret, CLIRunner(server: server.baseURL, tokenFile: file))
    }

    /// BRK-0801 provisioned and active at yanhu-market (county 140802); quwo-school is in 140821.
    func deviceActiveInYaodu() async throws {
        try await admin.addSite("yanhu-market", county: "140802")
        try await admin.addSite("yanhu-clinic", county: "140802", category: "bank-hospital-school")
        try await admin.addSite("quwo-school", county: "140821", category: "bank-hospital-school")
        _ = try await admin.provision("BRK-0801", model: "BF-100", into: pki.directory.appendingPathComponent("p"))
        let installed = try cli.run(["device", "install", "BRK-0801", "--site", "yanhu-market", "--circuit", "L1"])
        XCTAssertEqual(installed.status, 0, "\(installed)")
    }

    func history(_ serial: String) async throws -> (site: String?, records: [[String: Any]]) {
        let history = try await admin.get("/api/v1/devices/\(serial)/installations").json
        return ((history["assignment"] as? [String: Any])?["site"] as? String,
                history["installations"] as? [[String: Any]] ?? [])
    }

    func assertUnchanged(_ what: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let (site, records) = try await history("BRK-0801")
        XCTAssertEqual(site, "yanhu-market", "\(what): the device stays where it was", file: file, line: line)
        XCTAssertEqual(records.count, 1, "\(what): nothing recorded", file: file, line: line)
    }

    func testAnInstallerOf140821CannotTakeADeviceActiveIn140802NotEvenWithACSR() async throws {
        try await deviceActiveInYaodu()
        let (secret, quwoCrew) = try await installer("quwo crew", counties: ["140821"])

        let moved = try quwoCrew.run(["device", "move", "BRK-0801", "--site", "quwo-school", "--circuit", "L1", "--reason", "mine now"])
        XCTAssertNotEqual(moved.status, 0, "\(moved)")
        XCTAssertTrue(moved.output.contains("403") && moved.output.contains("active at site yanhu-market (county 140802)"), "\(moved)")
        try await assertUnchanged("a refused move")

        let answer = try await admin.with(token: secret).post(
            "/api/v1/devices/BRK-0801/installation", json: ["site": "quwo-school", "circuit": "L1", "reason": "mine now"])
        XCTAssertEqual(answer.status, 403, answer.text)
        XCTAssertEqual(answer.contentType, "application/problem+json")
        XCTAssertEqual(answer.json["type"] as? String, "urn:breakerfleet:problem:device-in-other-county", answer.text)
        XCTAssertTrue((answer.json["detail"] as? String ?? "").contains("an admin, or an installer of counties 140802 and 140821"),
                      answer.text)

        // With a CSR the attacker would also get a fleet certificate for the serial: nothing is issued.
        let folder = pki.directory.appendingPathComponent("attacker")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let key = folder.appendingPathComponent("stolen.key").path
        let csr = folder.appendingPathComponent("stolen.csr").path
        try OpenSSL.run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key])
        try OpenSSL.run(["req", "-new", "-key", key, "-subj", "/CN=BRK-0801", "-out", csr])
        let out = folder.appendingPathComponent("issued")
        let rekeyed = try quwoCrew.run([
            "device", "move", "BRK-0801", "--site", "quwo-school", "--circuit", "L1", "--reason", "mine now", "--csr", csr,
            "--out", out.path,
        ])
        XCTAssertNotEqual(rekeyed.status, 0, "\(rekeyed)")
        XCTAssertTrue(rekeyed.output.contains("403"), "\(rekeyed)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("BRK-0801.crt").path), "no certificate")
        let withCSR = try await admin.with(token: secret).post(
            "/api/v1/devices/BRK-0801/installation",
            json: ["site": "quwo-school", "circuit": "L1", "reason": "r", "csr": try String(contentsOfFile: csr, encoding: .utf8)])
        XCTAssertEqual(withCSR.status, 403, withCSR.text)
        XCTAssertFalse(withCSR.text.contains("BEGIN CERTIFICATE"), withCSR.text)
        try await assertUnchanged("a refused re-key")
    }

    func testAClaimCodeForOneSiteCannotCaptureADeviceActiveAtAnother() async throws {
        try await deviceActiveInYaodu()
        // Same county, even: a claim code is for new devices at its own site.
        let claim = try await admin.post("/api/v1/claims", json: ["site": "yanhu-clinic"])
        XCTAssertEqual(claim.status, 201, claim.text)
        let code = try XCTUnwrap(claim.json["code"] as? String)
        let anonymous = admin.with(token: nil)
        let captured = try await anonymous.post("/api/v1/claims/redeem", json: ["code": code, "serial": "BRK-0801", "circuit": "L9"])
        XCTAssertEqual(captured.status, 403, captured.text)
        XCTAssertEqual(captured.json["type"] as? String, "urn:breakerfleet:problem:claim-for-new-devices", captured.text)
        XCTAssertTrue((captured.json["detail"] as? String ?? "").contains("device BRK-0801 is active at site yanhu-market"), captured.text)
        try await assertUnchanged("a refused claim")

        // The code was not used up by the refusal: it still installs a new device at its site.
        _ = try await admin.provision("BRK-0802", model: "BF-100", into: pki.directory.appendingPathComponent("p"))
        let fresh = try await anonymous.post("/api/v1/claims/redeem", json: ["code": code, "serial": "BRK-0802", "circuit": "L9"])
        XCTAssertEqual(fresh.status, 200, fresh.text)
    }

    func testAnAdminMovesWithAReasonAndTheMoveIsRecorded() async throws {
        try await deviceActiveInYaodu()
        let noReason = try cli.run(["device", "install", "BRK-0801", "--site", "quwo-school", "--circuit", "L2"])
        XCTAssertNotEqual(noReason.status, 0, "\(noReason)")
        XCTAssertTrue(noReason.output.contains("409") && noReason.output.contains("needs a reason"), "\(noReason)")
        try await assertUnchanged("a move without a reason")

        let moved = try cli.run(["device", "move", "BRK-0801", "--site", "quwo-school", "--circuit", "L2", "--reason", "school opened"])
        XCTAssertEqual(moved.status, 0, "\(moved)")
        XCTAssertTrue(moved.stdout.contains("moved BRK-0801 from site yanhu-market to site quwo-school circuit L2"), moved.stdout)
        let (site, records) = try await history("BRK-0801")
        XCTAssertEqual(site, "quwo-school")
        let move = try XCTUnwrap(records.first)
        XCTAssertEqual(move["kind"] as? String, "move")
        XCTAssertEqual(move["from_site"] as? String, "yanhu-market")
        XCTAssertEqual(move["site"] as? String, "quwo-school")
        XCTAssertEqual(move["installed_by"] as? String, "local-admin")
        XCTAssertEqual(move["reason"] as? String, "school opened")
        XCTAssertEqual(records.last?["kind"] as? String, "install")
        XCTAssertTrue(records.last?["from_site"] is NSNull, "\(records)")
    }

    func testAnInstallerOfBothCountiesMovesOnlyWithAReason() async throws {
        try await deviceActiveInYaodu()
        let (_, bothCrew) = try await installer("linfen crew", counties: ["140802", "140821"])
        let noReason = try bothCrew.run(["device", "install", "BRK-0801", "--site", "quwo-school", "--circuit", "L3"])
        XCTAssertNotEqual(noReason.status, 0, "\(noReason)")
        XCTAssertTrue(noReason.output.contains("409") && noReason.output.contains("needs a reason"), "\(noReason)")
        try await assertUnchanged("an installer's move without a reason")

        let noFlag = try bothCrew.run(["device", "move", "BRK-0801", "--site", "quwo-school", "--circuit", "L3"])
        XCTAssertNotEqual(noFlag.status, 0)
        XCTAssertTrue(noFlag.output.contains("--reason"), "the CLI asks for it before sending: \(noFlag)")

        let moved = try bothCrew.run(["device", "install", "BRK-0801", "--site", "quwo-school", "--circuit", "L3", "--reason", "rebalanced"])
        XCTAssertEqual(moved.status, 0, "\(moved)")
        let record = try await history("BRK-0801").records.first
        XCTAssertEqual(record?["kind"] as? String, "move")
        XCTAssertEqual(record?["from_site"] as? String, "yanhu-market")
        XCTAssertEqual(record?["installed_by"] as? String, "linfen crew")
        XCTAssertEqual(record?["reason"] as? String, "rebalanced")
    }

    func testClaimRedemptionIsLimitedPerAddressWithRetryAfter() async throws {
        let anonymous = admin.with(token: nil)
        let attempt = ["code": "WRONG-GUESS", "serial": "BRK-0899", "circuit": "L1"]
        for number in 1...10 {
            let answer = try await anonymous.post("/api/v1/claims/redeem", json: attempt)
            XCTAssertEqual(answer.status, 404, "attempt \(number): \(answer.text)")
        }
        let limited = try await anonymous.post("/api/v1/claims/redeem", json: attempt)
        XCTAssertEqual(limited.status, 429, limited.text)
        XCTAssertEqual(limited.contentType, "application/problem+json")
        let retryAfter = try XCTUnwrap(limited.headers["retry-after"].flatMap { Int($0) }, "\(limited.headers)")
        XCTAssertTrue((1...6).contains(retryAfter), "one attempt comes back every 6 s: \(retryAfter)")
        XCTAssertTrue((limited.json["detail"] as? String ?? "").contains("at most 10 per 60 s"), limited.text)

        // A valid code counts the same: the limit is per address, not per failure.
        try await admin.addSite("yanhu-market", county: "140802")
        let claim = try await admin.post("/api/v1/claims", json: ["site": "yanhu-market"])
        let code = try XCTUnwrap(claim.json["code"] as? String)
        let valid = try await anonymous.post("/api/v1/claims/redeem", json: ["code": code, "serial": "BRK-0899", "circuit": "L1"])
        XCTAssertEqual(valid.status, 429, valid.text)
        let authenticated = try await admin.get("/api/v1/devices")
        XCTAssertEqual(authenticated.status, 200, "other calls are not limited")
    }
}
