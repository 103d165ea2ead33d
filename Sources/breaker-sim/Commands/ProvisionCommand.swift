import ArgumentParser
import Foundation

/// `breaker-sim provision --count N --out DIR --issue-via URL --token-file F`: issues device credentials
/// through the admin API into a folder that `--certs DIR` (and other tools) can use.
struct ProvisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision", abstract: "Issue device certificates through the admin API into a folder.")

    @Option(help: "Devices to provision.")
    var count: Int

    @Option(help: "Folder for SERIAL.crt, SERIAL.key (0600) and ca.crt.")
    var out: String

    @Option(name: .customLong("issue-via"), help: "Admin API base URL, e.g. http://127.0.0.1:8080.")
    var issueVia: String

    @Option(name: .customLong("token-file"), help: "File holding an admin or installer token.")
    var tokenFile: String

    @Option(help: "Model recorded for the devices.")
    var model = "BF-100"

    @Option(name: .customLong("serial-prefix"), help: "Serials are PREFIX000001, PREFIX000002, …")
    var serialPrefix = "SIM-"

    @Option(help: "Also install every device at this site (circuit = its serial), so category profiles reach it.")
    var site: String?

    func validate() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be 1…100000, got \(count)") }
        guard URL(string: issueVia)?.scheme?.hasPrefix("http") == true else {
            throw ValidationError("--issue-via must be an http(s) URL, got \(issueVia)")
        }
    }

    func run() async throws {
        let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let issuer = DeviceIssuer(baseURL: URL(string: issueVia)!, token: token, model: model, site: site)
        let devices = try await issuer.issue(count: count, serialPrefix: serialPrefix, saveTo: URL(fileURLWithPath: out))
        print("provisioned \(devices.count) devices into \(out)")
    }
}
