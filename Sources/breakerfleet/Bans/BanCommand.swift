import AdminAPIModel
import ArgumentParser
import FleetDomain
import Foundation

struct BanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ban", abstract: "Bar a whole manufacturer CA or model from the fleet (admin).",
        subcommands: [CA.self, Model.self, List.self])

    struct CA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ca", abstract: "Refuse every factory certificate a manufacturer CA signed.")
        @Option(help: "The CA certificate's subject CN.") var subjectCn: String
        @Option(help: "Why (kept with who and when).") var reason: String
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard !subjectCn.isEmpty, subjectCn.count <= 64 else { throw ValidationError("--subject-cn: must be 1–64 characters") }
            if let issue = Retirement.reasonIssue(reason) { throw ValidationError("--reason: \(issue.message)") }
        }

        func run() async throws {
            let _: BanRepresentation = try await APIClient(server).post(
                "api/v1/bans", BanRequest(kind: Ban.Kind.ca.rawValue, subject: subjectCn, reason: reason))
            print("banned manufacturer CA \"\(subjectCn)\"")
        }
    }

    struct Model: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Refuse every device of a model.")
        @Argument(help: "Model code.") var model: String
        @Option(help: "Why (kept with who and when).") var reason: String
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard Provisioning.isValidModel(model) else { throw ValidationError("MODEL: \(model) is not \(Provisioning.modelPattern)") }
            if let issue = Retirement.reasonIssue(reason) { throw ValidationError("--reason: \(issue.message)") }
        }

        func run() async throws {
            let _: BanRepresentation = try await APIClient(server).post(
                "api/v1/bans", BanRequest(kind: Ban.Kind.model.rawValue, subject: model, reason: reason))
            print("banned model \(model)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List bans.")
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let answer: BanList = try await APIClient(server).get("api/v1/bans")
            printTable(header: ["KIND", "SUBJECT", "REASON", "BY", "AT"], rows: answer.bans.map { ban in
                [ban.kind.rawValue, ban.subject, ban.reason, ban.by, text(ban.at)]
            })
        }
    }
}
