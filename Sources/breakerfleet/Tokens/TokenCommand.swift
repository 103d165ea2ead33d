import AdminAPIModel
import ArgumentParser
import FleetDomain
import Foundation

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke API tokens (admin).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print its secret (shown this once; only its hash is stored).")

        @Option(help: "A name saying whose token it is (1–64 characters).") var name: String
        @Option(help: "admin, installer or supervisor.") var role: String
        @Option(help: "Installer tokens: the six-digit county codes it may install in, comma-separated.")
        var counties: String?
        @Option(help: "Expiry: \(DurationArgument.help); none by default.") var expiresIn: DurationArgument?
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        var countyList: [String] {
            counties.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        }

        func validate() throws {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, name.count <= 64 else { throw ValidationError("--name: must be 1–64 characters") }
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role: \(role) is not one of admin, installer, supervisor")
            }
            if role == .installer && countyList.isEmpty {
                throw ValidationError("--counties: an installer token needs at least one county")
            }
            if role != .installer && counties != nil {
                throw ValidationError("--counties: only installer tokens are scoped to counties")
            }
            if let bad = countyList.first(where: { !County.isValid($0) }) {
                throw ValidationError("--counties: \(bad) is not \(County.rule)")
            }
            if let expiresIn, !(60...(3650 * 86_400)).contains(expiresIn.seconds) {
                throw ValidationError("--expires-in: \(expiresIn) is outside 60s–3650d")
            }
        }

        func run() async throws {
            let body = TokenRequest(
                name: name, role: role, counties: countyList.isEmpty ? nil : countyList, expiresInSeconds: expiresIn?.seconds)
            let answer: CreatedToken = try await APIClient(server).post("api/v1/tokens", body)
            if json { return try printJSON(answer) }
            print("created token \(answer.token.id) \"\(name)\" (\(role)), expires \(text(answer.token.expiresAt))")
            print("secret (shown once, store it now):")
            print(answer.secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens, revoked ones included.")
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let answer: TokenList = try await APIClient(server).get("api/v1/tokens")
            if json { return try printJSON(answer) }
            printTable(header: ["ID", "NAME", "ROLE", "COUNTIES", "EXPIRES", "REVOKED"], rows: answer.tokens.map { token in
                [token.id, token.name, token.role.rawValue, token.counties.joined(separator: ","), text(token.expiresAt),
                 text(token.revokedAt)]
            })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it gets 401 from now on.")
        @Argument(help: "The token's id (see `token list`).") var id: String
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let answer: RevokedToken = try await APIClient(server).post("api/v1/tokens/\(id)/revoke", EmptyBody())
            print("revoked token \(id) \"\(answer.token.name)\" at \(text(answer.token.revokedAt))")
        }
    }
}
