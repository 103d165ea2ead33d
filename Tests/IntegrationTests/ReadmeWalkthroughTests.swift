import FleetTesting
import Foundation
import XCTest

/// The README's walkthrough, run as typed against a fresh server: what a newcomer copies must work.
///
/// The blocks marked `<!-- walkthrough` in README.md run in order in one bash session, in an empty
/// folder. Only what differs between a test and `scripts/run` is substituted: the binary (`B=`), the
/// server's URL and admin token (through `BREAKERFLEET_SERVER` and `BREAKERFLEET_DATA_DIR`, which the CLI
/// reads) and the CoAP port in `coaps://127.0.0.1/` URIs.
final class ReadmeWalkthroughTests: ServerTestCase {
    override var certifiesTestModel: Bool { false }

    static func walkthroughBlocks() throws -> [String] {
        let readme = try String(contentsOf: BuiltProducts.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var blocks: [String] = []
        var lines = readme.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
        while let line = lines.next() {
            guard line.hasPrefix("<!-- walkthrough") else { continue }
            guard lines.next()?.hasPrefix("```sh") == true else { continue }
            var block: [Substring] = []
            while let code = lines.next(), !code.hasPrefix("```") { block.append(code) }
            blocks.append(block.joined(separator: "\n"))
        }
        return blocks
    }

    func testTheReadmeWalkthroughRunsAsTypedOnAFreshServer() async throws {
        let blocks = try Self.walkthroughBlocks()
        XCTAssertGreaterThanOrEqual(blocks.count, 2, "README.md marks its walkthrough blocks with <!-- walkthrough -->")
        let script = blocks.joined(separator: "\n")
        XCTAssertTrue(script.contains("B=.build/release/breakerfleet"), script)
        XCTAssertTrue(script.contains("coap-client-openssl"), "the device part runs too")
        let substituted = script
            .replacingOccurrences(of: "B=.build/release/breakerfleet", with: "B='\(BuiltProducts.executable("breakerfleet").path)'")
            .replacingOccurrences(of: "coaps://127.0.0.1/", with: "coaps://127.0.0.1:\(server.coapsPort)/")

        let folder = pki.directory.appendingPathComponent("newcomer")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let run = try Self.bash(substituted, in: folder, environment: [
            "BREAKERFLEET_SERVER": server.baseURL.absoluteString, "BREAKERFLEET_DATA_DIR": server.dataDirectory.path,
            "BREAKERFLEET_TOKEN": "",
        ])
        XCTAssertEqual(run.status, 0, "every walkthrough command exits 0:\n\(run.output)")
        XCTAssertTrue(run.output.contains("installed BRK-0001 at site yanhu-market"), run.output)

        let device = try await waitForDevice("BRK-0001") { detail in
            let latest = detail["latest"] as? [[String: Any]] ?? []
            let events = detail["events"] as? [[String: Any]] ?? []
            return latest.contains { $0["name"] as? String == "voltage_l1" } && !events.isEmpty
        }
        let summary = device["device"] as? [String: Any]
        XCTAssertEqual(summary?["state"] as? String, "active", "\(device)")
        let voltage = (device["latest"] as? [[String: Any]])?.first { $0["name"] as? String == "voltage_l1" }
        XCTAssertEqual(voltage?["value"] as? Double, 229.8, "\(device)")
        XCTAssertEqual((device["events"] as? [[String: Any]])?.first?["type"] as? String, "over_temperature")
    }

    /// `bash -c SCRIPT` with `set -euo pipefail`: the first failing command stops it and is named.
    static func bash(_ script: String, in folder: URL, environment: [String: String]) throws -> CLIRunner.Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        let prologue = "set -euo pipefail\ntrap 'echo \"walkthrough command failed (exit $?): $BASH_COMMAND\" >&2' ERR\n"
        process.arguments = ["-c", prologue + script]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIRunner.Run(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: "")
    }
}
