import FleetPKI
import FleetTesting
import Foundation
import XCTest

/// Installation in the field by installer token and by claim code, re-keying, and retiring devices.
final class InstallationTests: ServerTestCase {
    var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }

    func state(_ serial: String) async throws -> String? {
        (try await admin.get("/api/v1/devices/\(serial)").json["device"] as? [String: Any])?["stored_state"] as? String
    }

    func testAnInstallerScopedToOneCountyIsRefusedInAnother() async throws {
        try await admin.addSite("yanhu-market", county: "140802")
        try await admin.addSite("linyi-school", county: "140821", category: "bank-hospital-school")
        for serial in ["BRK-0401", "BRK-0402"] {
            _ = try await admin.provision(serial, model: "BF-100", into: pki.directory.appendingPathComponent("p"))
        }
        let installer = try cli(token: try await admin.createToken(name: "yanhu crew", role: "installer", counties: ["140802"]).secret)

        let home = try installer.run(["device", "install", "BRK-0401", "--site", "yanhu-market", "--circuit", "1F-AL1 L1"])
        XCTAssertEqual(home.status, 0, "\(home)")
        XCTAssertTrue(home.stdout.contains("active"), home.stdout)
        let stateHome = try await state("BRK-0401")
        XCTAssertEqual(stateHome, "active")

        let away = try installer.run(["device", "install", "BRK-0402", "--site", "linyi-school", "--circuit", "L1"])
        XCTAssertNotEqual(away.status, 0, "\(away)")
        XCTAssertTrue(away.output.contains("403") && away.output.contains("county 140821"), "\(away)")
        let stateAway = try await state("BRK-0402")
        XCTAssertEqual(stateAway, "provisioned", "a refused installation changes nothing")
        let history = try await admin.get("/api/v1/devices/BRK-0402/installations").json
        XCTAssertEqual((history["installations"] as? [Any])?.count, 0)

        // The record says who, when, where.
        let recorded = try await admin.get("/api/v1/devices/BRK-0401/installations").json
        let first = (recorded["installations"] as? [[String: Any]])?.first
        XCTAssertEqual(first?["installed_by"] as? String, "yanhu crew")
        XCTAssertEqual(first?["site"] as? String, "yanhu-market")
        XCTAssertEqual(first?["circuit"] as? String, "1F-AL1 L1")
        XCTAssertNotNil(first?["at"] as? String)
    }

    func testAClaimCodeUsedTwiceIsRefused() async throws {
        try await admin.addSite("yanhu-market", county: "140802")
        for serial in ["BRK-0501", "BRK-0502"] {
            _ = try await admin.provision(serial, model: "BF-100", into: pki.directory.appendingPathComponent("p"))
        }
        let created = try cli.run(["claim", "create", "--site", "yanhu-market", "--ttl", "10m"])
        XCTAssertEqual(created.status, 0, "\(created)")
        let qr = try XCTUnwrap(created.stdout.split(separator: "\n").first { $0.hasPrefix("qr:") }?.split(separator: " ").last.map(String.init))
        XCTAssertTrue(qr.hasPrefix("BF1:") && qr.hasSuffix(":yanhu-market"), qr)

        // The installer has the code and nothing else: no token file, no token in the environment.
        let anonymous = CLIRunner(server: server.baseURL, tokenFile: nil)
        let noToken = ["BREAKERFLEET_TOKEN": "", "BREAKERFLEET_DATA_DIR": pki.directory.appendingPathComponent("nowhere").path]
        let first = try anonymous.run(["claim", "redeem", qr, "BRK-0501", "--circuit", "L1"], environment: noToken)
        XCTAssertEqual(first.status, 0, "\(first)")
        let firstState = try await state("BRK-0501")
        XCTAssertEqual(firstState, "active")

        let second = try anonymous.run(["claim", "redeem", qr, "BRK-0502", "--circuit", "L2"], environment: noToken)
        XCTAssertNotEqual(second.status, 0, "\(second)")
        XCTAssertTrue(second.output.contains("410") && second.output.contains("already used"), "\(second)")
        let secondState = try await state("BRK-0502")
        XCTAssertEqual(secondState, "provisioned")
        let history = try await admin.get("/api/v1/devices/BRK-0501/installations").json
        let record = (history["installations"] as? [[String: Any]])?.first
        XCTAssertEqual(record?["method"] as? String, "claim")
        XCTAssertTrue((record?["installed_by"] as? String ?? "").hasPrefix("claim:clm-"), "\(history)")

        let unknown = try await admin.with(token: nil).post("/api/v1/claims/redeem", json: ["code": "NOPE", "serial": "BRK-0502", "circuit": "L2"])
        XCTAssertEqual(unknown.status, 404, unknown.text)
        let tooLong = try await admin.post("/api/v1/claims", json: ["site": "yanhu-market", "ttl_s": 90_000])
        XCTAssertEqual(tooLong.status, 400, tooLong.text)
        XCTAssertTrue(tooLong.text.contains("ttl_s 90000 is outside 60–86400"), tooLong.text)
    }

    func testInstallationReKeysFromACSRWithoutTheKeyLeavingTheDevice() async throws {
        try await admin.addSite("yanhu-market", county: "140802")
        _ = try await admin.provision("BRK-0601", model: "BF-100", into: pki.directory.appendingPathComponent("p"))
        let folder = pki.directory.appendingPathComponent("device-side")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let key = folder.appendingPathComponent("device.key").path
        let csr = folder.appendingPathComponent("device.csr").path
        try openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key])
        try openssl(["req", "-new", "-key", key, "-subj", "/CN=BRK-0601", "-out", csr])
        let wrongCSR = folder.appendingPathComponent("other.csr").path
        try openssl(["req", "-new", "-key", key, "-subj", "/CN=BRK-9999", "-out", wrongCSR])

        let out = pki.directory.appendingPathComponent("rekeyed")
        let wrong = try cli.run(["device", "install", "BRK-0601", "--site", "yanhu-market", "--circuit", "L1", "--csr", wrongCSR, "--out", out.path])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.output.contains("csr:"), "\(wrong)")
        let unchanged = try await state("BRK-0601")
        XCTAssertEqual(unchanged, "provisioned", "a bad CSR changes nothing")

        let run = try cli.run(["device", "install", "BRK-0601", "--site", "yanhu-market", "--circuit", "L1", "--csr", csr, "--out", out.path])
        XCTAssertEqual(run.status, 0, "\(run)")
        let certificate = out.appendingPathComponent("BRK-0601.crt").path
        let subject = try openssl(["x509", "-in", certificate, "-noout", "-subject", "-issuer"])
        XCTAssertTrue(subject.contains("CN = BRK-0601") && subject.contains("BreakerFleet Issuing CA"), "signed by the issuing CA: \(subject)")
        let matches = try openssl(["x509", "-in", certificate, "-noout", "-pubkey"]) == (try openssl(["ec", "-in", key, "-pubout"]))
        XCTAssertTrue(matches, "the certificate is for the device's own key")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("BRK-0601.key").path))
        let history = try await admin.get("/api/v1/devices/BRK-0601/installations").json
        XCTAssertEqual((history["installations"] as? [[String: Any]])?.first?["rekeyed"] as? Bool, true)
    }

    func testRevokeAndDecommissionAreRecordedAndDecommissioningFreesTheCircuit() async throws {
        try await admin.addSite("yanhu-market", county: "140802")
        for serial in ["BRK-0701", "BRK-0702", "BRK-0703"] {
            _ = try await admin.provision(serial, model: "BF-100", into: pki.directory.appendingPathComponent("p"))
        }
        XCTAssertEqual(try cli.run(["device", "install", "BRK-0701", "--site", "yanhu-market", "--circuit", "L1"]).status, 0)
        let taken = try cli.run(["device", "install", "BRK-0702", "--site", "yanhu-market", "--circuit", "L1"])
        XCTAssertTrue(taken.output.contains("409") && taken.output.contains("held by BRK-0701"), "\(taken)")

        let noReason = try cli.run(["device", "decommission", "BRK-0701", "--reason", ""])
        XCTAssertTrue(noReason.output.contains("--reason: reason is required"), "\(noReason)")
        let retired = try cli.run(["device", "decommission", "BRK-0701", "--reason", "replaced after flood"])
        XCTAssertEqual(retired.status, 0, "\(retired)")
        let replaced = try cli.run(["device", "install", "BRK-0702", "--site", "yanhu-market", "--circuit", "L1"])
        XCTAssertEqual(replaced.status, 0, "the circuit is free again: \(replaced)")
        let history = try await admin.get("/api/v1/devices/BRK-0701/installations").json
        XCTAssertTrue(history["assignment"] is NSNull, "\(history)")
        XCTAssertEqual((history["installations"] as? [Any])?.count, 1, "history kept")
        let retirement = (history["retirements"] as? [[String: Any]])?.first
        XCTAssertEqual(retirement?["reason"] as? String, "replaced after flood")
        XCTAssertEqual(retirement?["by"] as? String, "local-admin")

        XCTAssertEqual(try cli.run(["device", "revoke", "BRK-0703", "--reason", "stolen"]).status, 0)
        let again = try cli.run(["device", "revoke", "BRK-0703", "--reason", "stolen"])
        XCTAssertTrue(again.output.contains("409") && again.output.contains("already revoked"), "\(again)")
        let installRevoked = try cli.run(["device", "install", "BRK-0703", "--site", "yanhu-market", "--circuit", "L3"])
        XCTAssertTrue(installRevoked.output.contains("409") && installRevoked.output.contains("revoked"), "\(installRevoked)")
        let revokedState = try await state("BRK-0703")
        XCTAssertEqual(revokedState, "revoked")

        XCTAssertEqual(try cli.run(["ban", "model", "BF-100", "--reason", "recall 2026-11"]).status, 0)
        let model = try await admin.get("/api/v1/models/BF-100").json
        XCTAssertEqual(model["certified"] as? Bool, false)
        let provision = try await admin.post("/api/v1/devices", json: ["serial": "BRK-0704", "model": "BF-100"])
        XCTAssertEqual(provision.status, 400, "a banned model is not provisioned: \(provision.text)")
        let acme = try CertificateAuthority.create(commonName: "Acme Factory CA")
        let acmeFile = pki.directory.appendingPathComponent("acme.crt")
        try Data(acme.certificatePEM.utf8).write(to: acmeFile)
        let banned = try cli.run(["ban", "ca", "--file", acmeFile.path, "--reason", "key leaked"])
        XCTAssertEqual(banned.status, 0, "\(banned)")
        let hex = DERFingerprint.sha256Hex(acme.certificateDER)
        XCTAssertTrue(banned.stdout.contains(hex), "\(banned)")
        let bans = try await admin.get("/api/v1/bans").json["bans"] as? [[String: Any]]
        XCTAssertEqual(bans?.compactMap { $0["subject"] as? String }.sorted(), ["BF-100", hex].sorted())
        XCTAssertEqual(bans?.compactMap { $0["name"] as? String }, ["Acme Factory CA"])
        // By name no longer: the old flag is gone, and the API refuses a CN where a fingerprint belongs.
        XCTAssertNotEqual(try cli.run(["ban", "ca", "--subject-cn", "Acme Factory CA", "--reason", "key leaked"]).status, 0)
        let byName = try await admin.post("/api/v1/bans", json: ["kind": "ca", "subject": "Acme Factory CA", "reason": "r"])
        XCTAssertEqual(byName.status, 400, byName.text)
        XCTAssertTrue(byName.text.contains("fingerprint"), byName.text)
        let twice = try cli.run(["ban", "ca", "--fingerprint", hex.uppercased(), "--reason", "twice"])
        XCTAssertTrue(twice.output.contains("409"), "the same CA by fingerprint is already banned: \(twice)")
        let list = try cli.run(["ban", "list"])
        XCTAssertTrue(list.stdout.contains(hex) && list.stdout.contains("Acme Factory CA"), "\(list)")
    }

    @discardableResult
    private func openssl(_ arguments: [String]) throws -> String { try OpenSSL.run(arguments) }
}
