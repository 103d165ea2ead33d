import AdminAPIModel
import ArgumentParser
import FleetDomain
import FleetPKI
import Foundation

struct BanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ban", abstract: "Bar a whole CA (by fingerprint) or model from the fleet (admin).",
        subcommands: [CA.self, Model.self, List.self])

    struct CA: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ca",
            abstract: "Refuse every certificate a CA signed, naming the CA by its certificate's SHA-256 fingerprint.",
            discussion: """
                Give the fingerprint (`breakerfleet ca show`, or `openssl x509 -noout -fingerprint -sha256 -in CA.crt`; \
                colons and either case are fine) or the CA certificate itself. A CA's name is never used: anyone can \
                give a CA any name.
                """)
        @Option(help: "The CA certificate's SHA-256 fingerprint (hex).") var fingerprint: String?
        @Option(help: "The CA certificate (PEM); its fingerprint is banned, its CN kept for people.") var file: String?
        @Option(help: "Why (kept with who and when).") var reason: String
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard (fingerprint == nil) != (file == nil) else {
                throw ValidationError("give exactly one of --fingerprint and --file")
            }
            if let fingerprint, DERFingerprint.parse(fingerprint) == nil {
                throw ValidationError("--fingerprint: \(fingerprint) is not a SHA-256 fingerprint (64 hex digits)")
            }
            if let issue = Retirement.reasonIssue(reason) { throw ValidationError("--reason: \(issue.message)") }
        }

        func run() async throws {
            var name: String?
            var digest = fingerprint.flatMap(DERFingerprint.parse) ?? []
            if let file {
                let text: String
                do {
                    text = try String(contentsOfFile: file, encoding: .utf8)
                } catch {
                    throw ValidationError("--file: cannot read \(file): \(error.localizedDescription)")
                }
                guard let identity = try? CertificateInspector.authorityIdentity(pem: text) else {
                    throw ValidationError("--file: \(file) is not one PEM certificate")
                }
                digest = identity.fingerprint
                name = identity.commonName.isEmpty ? nil : String(identity.commonName.prefix(64))
            }
            let hex = DERFingerprint.hex(digest)
            let _: BanRepresentation = try await APIClient(server).post(
                "api/v1/bans", BanRequest(kind: Ban.Kind.ca.rawValue, subject: hex, name: name, reason: reason))
            print("banned CA \(hex)\(name.map { " (\"\($0)\")" } ?? "")")
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
            // For a CA the subject is its fingerprint; `ca-name` bans (by CN, from before) match nothing any more.
            printTable(header: ["KIND", "SUBJECT", "NAME", "REASON", "BY", "AT"], rows: answer.bans.map { ban in
                [ban.kind.rawValue, ban.subject, ban.name ?? "", ban.reason, ban.by, text(ban.at)]
            })
        }
    }
}
