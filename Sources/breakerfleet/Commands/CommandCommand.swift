import AdminAPIModel
import ArgumentParser
import FleetDomain
import Foundation

/// `breakerfleet command …`: remote trip, reset, self-test and certificate renewal of one breaker.
struct CommandCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "command", abstract: "Remote commands to breakers: trip, reset, self-test, renew (admin).",
        subcommands: [Trip.self, Reset.self, SelfTest.self, Renew.self, List.self, Show.self, Cancel.self, Approve.self])

    /// What every issuing subcommand takes.
    struct IssueOptions: ParsableArguments {
        @Argument(help: "The breaker's serial.") var serial: String
        @Option(help: "Why (kept in the audit trail).") var reason: String
        @Option(help: "How long the command stays valid: \(DurationArgument.help) (default 10m, 10s to 1d).") var ttl: DurationArgument?
        @Option(help: "Wait up to this long for the device's result (\(DurationArgument.help)); exit non-zero unless it is done.")
        var wait: DurationArgument?
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard Serial(serial) != nil else { throw ValidationError("SERIAL: \(serial) does not match \(Serial.rule)") }
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason: a reason is required") }
            if let ttl, !(10...86_400).contains(ttl.seconds) {
                throw ValidationError("--ttl: \(ttl) is outside 10s–1d")
            }
        }

        func issue(_ action: RemoteAction, inspectedBy: String? = nil) async throws {
            let client = try APIClient(server)
            let command: CommandRepresentation = try await client.post("api/v1/commands", CommandRequest(
                serial: serial, action: action.rawValue, reason: reason, ttlSeconds: ttl?.seconds, inspectedBy: inspectedBy))
            if !json {
                let waiting = command.state == CommandLifecycle.State.awaitingApproval.rawValue
                print("\(command.id): \(action.rawValue) \(serial) \(command.state)\(waiting ? " (a second admin runs `breakerfleet command approve \(command.id)`)" : "")")
            }
            guard let wait else { return json ? try printJSON(command) : () }
            let final = try await CommandWaiting.follow(command.id, for: wait, client: client, quiet: json)
            if json { try printJSON(final) }
            guard final.state == CommandLifecycle.State.done.rawValue else { throw ExitCode(1) }
        }
    }

    struct Trip: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a breaker remotely.")
        @OptionGroup var options: IssueOptions
        func run() async throws { try await options.issue(.trip) }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a breaker again.",
            discussion: "After a short-circuit trip, --inspected-by is required (the device refuses otherwise). Where the device's profile sets reset_requires_confirm, the reset waits for a second admin's `command approve`.")
        @OptionGroup var options: IssueOptions
        @Option(help: "Who inspected the circuit (required after a short-circuit trip).") var inspectedBy: String?
        func run() async throws { try await options.issue(.reset, inspectedBy: inspectedBy) }
    }

    struct SelfTest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "self-test", abstract: "Run a breaker's self-test.")
        @OptionGroup var options: IssueOptions
        func run() async throws { try await options.issue(.selfTest) }
    }

    struct Renew: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a breaker re-enroll its certificate now (EST).")
        @OptionGroup var options: IssueOptions
        func run() async throws { try await options.issue(.renew) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List commands, newest first.")
        @Option(help: "Only this device's.") var device: String?
        @Option(help: "Only in these states (comma-separated).") var state: String?
        @Option(help: "Only the commands of this site trip batch.") var siteTrip: String?
        @Option(help: "At most this many (1–1000).") var limit: Int = 100
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            if let device, Serial(device) == nil { throw ValidationError("--device: \(device) does not match \(Serial.rule)") }
            if let state, let bad = state.split(separator: ",").first(where: { CommandLifecycle.State(rawValue: String($0)) == nil }) {
                throw ValidationError("--state: \(bad) is not one of \(CommandLifecycle.State.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1...1000).contains(limit) else { throw ValidationError("--limit: \(limit) is outside 1–1000") }
        }

        func run() async throws {
            var query = [URLQueryItem(name: "limit", value: String(limit))]
            if let device { query.append(URLQueryItem(name: "device", value: device)) }
            if let state { query.append(URLQueryItem(name: "state", value: state)) }
            if let siteTrip { query.append(URLQueryItem(name: "site_trip", value: siteTrip)) }
            let answer: CommandList = try await APIClient(server).get("api/v1/commands", query: query)
            if json { return try printJSON(answer) }
            printTable(header: ["ID", "DEVICE", "ACTION", "STATE", "BREAKER", "ISSUED", "BY", "REASON"], rows: answer.commands.map {
                [$0.id, $0.serial, $0.action, $0.state, text($0.breaker), text($0.issuedAt), $0.issuedBy, $0.reason]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A command and its whole timeline.")
        @Argument(help: "Command id.") var id: String
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws { try validateCommandID(id) }

        func run() async throws {
            let command: CommandRepresentation = try await APIClient(server).get("api/v1/commands/\(id)")
            if json { return try printJSON(command) }
            CommandWaiting.describe(command)
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a command the device has not received yet.")
        @Argument(help: "Command id.") var id: String
        @OptionGroup var server: ServerOptions

        func validate() throws { try validateCommandID(id) }

        func run() async throws {
            let command: CommandRepresentation = try await APIClient(server).post("api/v1/commands/\(id)/cancel", EmptyBody())
            print("\(command.id): \(command.state)")
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a command that awaits a second admin (with a token other than the issuer's).")
        @Argument(help: "Command id.") var id: String
        @OptionGroup var server: ServerOptions

        func validate() throws { try validateCommandID(id) }

        func run() async throws {
            let command: CommandRepresentation = try await APIClient(server).post("api/v1/commands/\(id)/approve", EmptyBody())
            print("\(command.id): approved, \(command.state)")
        }
    }
}

func validateCommandID(_ id: String) throws {
    guard Command.isWellFormedID(id) else { throw ValidationError("ID: \(id) is not a command id (cmd- and 16 hex digits)") }
}
