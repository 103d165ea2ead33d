import AdminAPIModel
import ArgumentParser
import FleetDomain
import Foundation

struct ClaimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claim", abstract: "Single-use claim codes for installing without a token.",
        subcommands: [Create.self, Redeem.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a claim code for one site (admin); prints the code and its QR payload.")

        @Option(help: "The site the code installs at.") var site: String
        @Option(help: "Lifetime: \(DurationArgument.help); 1m–24h.") var ttl = DurationArgument(argument: "30m")!
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard Site.isValidID(site) else { throw ValidationError("--site: \(site) does not match \(Site.idRule)") }
            guard ClaimCode.ttlRange.contains(ttl.seconds) else { throw ValidationError("--ttl: \(ttl) is outside 1m–24h") }
        }

        func run() async throws {
            let answer: CreatedClaim = try await APIClient(server).post("api/v1/claims", ClaimRequest(site: site, ttlSeconds: ttl.seconds))
            if json { return try printJSON(answer) }
            print("claim code \(answer.id) for site \(site), expires \(text(answer.expiresAt))")
            print("code: \(answer.code)")
            print("qr:   \(answer.qr)")
        }
    }

    struct Redeem: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install a device at the claim code's site (no token needed: the code is used up).")

        @Argument(help: "The code, or the whole QR payload BF1:<code>:<site>.") var code: String
        @Argument(help: "The device's serial.") var serial: String
        @Option(help: "Circuit label (1–64 characters).") var circuit: String
        @OptionGroup var rekey: RekeyOptions
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard Serial.isValid(serial) else { throw ValidationError("SERIAL: \(serial) does not match \(Serial.rule)") }
            if let issue = Installation.circuitIssue(circuit, field: "--circuit") { throw ValidationError(issue.description) }
            try rekey.validate()
        }

        func run() async throws {
            let body = RedeemRequest(code: code, serial: serial, circuit: circuit, csr: try rekey.csrText())
            let answer: Installed = try await APIClient(anonymous: server).post("api/v1/claims/redeem", body)
            try reportInstalled(answer, serial: serial, rekey: rekey)
        }
    }
}
