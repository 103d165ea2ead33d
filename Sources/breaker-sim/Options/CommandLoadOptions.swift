import ArgumentParser
import Foundation

/// The commands mode's own options: where the admin API is, how fast to issue, and what to do.
struct CommandLoadOptions: ParsableArguments {
    @Option(help: "Commands mode: admin API base URL the commands are issued through, e.g. http://127.0.0.1:8080.")
    var api: String?

    @Option(name: .customLong("api-token-file"), help: "Commands mode: file holding an admin token for --api.")
    var apiTokenFile: String?

    @Option(name: .customLong("command-rate"), help: "Commands mode: commands issued per second in an `issue` phase, each to a random connected device.")
    var commandRate = 20.0

    @Option(name: .customLong("command-in-flight"), help: "Commands mode: API calls (and their follow-up) in progress at once at most.")
    var commandInFlight = 16

    @Option(name: .customLong("command-action"), help: "Commands mode: trip or self_test (both need no approval and leave nothing pending).")
    var commandAction = "trip"

    @Option(name: .customLong("command-ttl"), help: "Commands mode: seconds each command stays valid.")
    var commandTTL = 600

    @Option(help: "Commands mode: seconds between a device's heartbeats (the server drops a session idle for 300 s).")
    var heartbeat = 120.0

    @Option(name: .customLong("phase"), help: ArgumentHelp(
        "Commands mode: what to do once connected, in order: issue=SECONDS, site-trip=SITE, pause=SECONDS (repeatable). Without it, the same lines (`issue 8`, `site-trip S`, `pause 2`, `quit`) are read from stdin.",
        valueName: "step"))
    var phases: [String] = []

    @Flag(name: .customLong("no-poll-recorded"), help: "Commands mode: do not poll the API for the recorded result.")
    var noPollRecorded = false

    @Option(name: .customLong("poll-interval"), help: "Commands mode: milliseconds between polls for a command's recorded result (each poll is a GET the server serves meanwhile).")
    var pollInterval = 10.0

    func validate() throws {
        guard (0.1...1000).contains(commandRate) else { throw ValidationError("--command-rate must be 0.1…1000 per second, got \(commandRate)") }
        guard (1...256).contains(commandInFlight) else { throw ValidationError("--command-in-flight must be 1…256, got \(commandInFlight)") }
        guard ["trip", "self_test"].contains(commandAction) else {
            throw ValidationError("--command-action must be trip or self_test, got \(commandAction)")
        }
        guard (1...86_400).contains(commandTTL) else { throw ValidationError("--command-ttl must be 1…86400 s, got \(commandTTL)") }
        guard (1...1000).contains(pollInterval) else { throw ValidationError("--poll-interval must be 1…1000 ms, got \(pollInterval)") }
        guard heartbeat >= 1 else { throw ValidationError("--heartbeat must be at least 1 s, got \(heartbeat)") }
        for phase in phases where CommandPhase(argument: phase) == nil {
            throw ValidationError("--phase must be issue=SECONDS, site-trip=SITE or pause=SECONDS, got \(phase)")
        }
    }

    /// Checks what the commands mode needs (the other modes ignore these options).
    func validateForCommandsMode() throws {
        guard let api, URL(string: api)?.scheme?.hasPrefix("http") == true else {
            throw ValidationError("--mode commands needs --api http://HOST:PORT (the admin API)")
        }
        guard let apiTokenFile, FileManager.default.isReadableFile(atPath: apiTokenFile) else {
            throw ValidationError("--mode commands needs --api-token-file FILE (an admin token)")
        }
    }

    func makeAPI() throws -> CommandAPI {
        let token = try String(contentsOfFile: apiTokenFile!, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return CommandAPI(baseURL: URL(string: api!)!, token: token)
    }
}

/// One step of a commands run.
enum CommandPhase: Equatable, Sendable {
    /// Issue commands at the configured rate for this many seconds, then wait for their results.
    case issue(seconds: Double)
    /// Trip every breaker of the site (confirmed) and wait until each trip is done.
    case siteTrip(site: String)
    /// Do nothing for this many seconds (the devices stay connected).
    case pause(seconds: Double)
    case quit

    /// `issue=8` (command line) or `issue 8` (stdin).
    init?(argument: String) {
        let parts = argument.trimmingCharacters(in: .whitespaces).split(maxSplits: 1, whereSeparator: { $0 == "=" || $0 == " " })
        guard let verb = parts.first else { return nil }
        let value = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        switch verb {
        case "issue":
            guard let seconds = Double(value), seconds > 0, seconds <= 3600 else { return nil }
            self = .issue(seconds: seconds)
        case "pause":
            guard let seconds = Double(value), seconds >= 0, seconds <= 3600 else { return nil }
            self = .pause(seconds: seconds)
        case "site-trip":
            guard !value.isEmpty else { return nil }
            self = .siteTrip(site: value)
        case "quit" where value.isEmpty: self = .quit
        default: return nil
        }
    }
}
