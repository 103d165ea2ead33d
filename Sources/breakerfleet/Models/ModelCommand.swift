import AdminAPIModel
import ArgumentParser
import FleetDomain
import Foundation

struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "The registry of certified (CCC) models.", subcommands: [Add.self, List.self, Show.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a certified model.")

        @Argument(help: "Model code, \(Provisioning.modelPattern).") var code: String
        @Option(help: "Manufacturer name.") var manufacturer: String
        @Option(help: "CCC certificate number.") var ccc: String
        @Option(help: "Certificate valid from (2026-01-01 or RFC 3339).") var validFrom: String
        @Option(help: "Certificate valid until (exclusive).") var validUntil: String
        @Option(help: "Rated current in A (1–630).") var ratedCurrent: Double
        @Option(help: "Poles (1–4).") var poles: Int
        @Option(help: "Comma-separated: \(ModelCapability.allowedList).") var capabilities: String = ""
        @Option(help: "PSK length in bytes for devices of a psk_only model, 16–32 (tinydtls takes 16).")
        var pskKeyBytes: Int = CertifiedModel.defaultPresharedKeyBytes
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        var capabilityList: [String] {
            capabilities.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }

        func validate() throws {
            guard Provisioning.isValidModel(code) else { throw ValidationError("CODE: \(code) is not \(Provisioning.modelPattern)") }
            guard CertifiedModel.ratedCurrentRange.contains(ratedCurrent) else {
                throw ValidationError("--rated-current: \(ratedCurrent) is outside 1–630 A")
            }
            guard CertifiedModel.polesRange.contains(poles) else { throw ValidationError("--poles: \(poles) is outside 1–4") }
            guard CertifiedModel.presharedKeyBytesRange.contains(pskKeyBytes) else {
                throw ValidationError("--psk-key-bytes: \(pskKeyBytes) is outside 16–32")
            }
            if let bad = capabilityList.first(where: { ModelCapability(rawValue: $0) == nil }) {
                throw ValidationError("--capabilities: \(bad) is not one of \(ModelCapability.allowedList)")
            }
        }

        func run() async throws {
            let answer: ModelRepresentation = try await APIClient(server).post("api/v1/models", ModelRequest(
                code: code, manufacturer: manufacturer, certificationNumber: ccc, validFrom: validFrom, validUntil: validUntil,
                ratedCurrentA: ratedCurrent, poles: poles, capabilities: capabilityList, presharedKeyBytes: pskKeyBytes))
            if json { return try printJSON(answer) }
            print("certified model \(code) (\(manufacturer), CCC \(ccc), until \(text(answer.validUntil)))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List models and whether each is certified now.")
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let answer: ModelList = try await APIClient(server).get("api/v1/models")
            if json { return try printJSON(answer) }
            printTable(header: ["CODE", "MANUFACTURER", "CCC", "VALID UNTIL", "A", "POLES", "CERTIFIED"], rows: answer.models.map { m in
                [m.code, m.manufacturer, m.certificationNumber, text(m.validUntil), number(m.ratedCurrentA), String(m.poles),
                 m.certified ? "yes" : "no"]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one model.")
        @Argument(help: "Model code.") var code: String
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard Provisioning.isValidModel(code) else { throw ValidationError("CODE: \(code) is not \(Provisioning.modelPattern)") }
        }

        func run() async throws {
            try printJSON(try await APIClient(server).get("api/v1/models/\(code)", as: ModelRepresentation.self))
        }
    }
}
