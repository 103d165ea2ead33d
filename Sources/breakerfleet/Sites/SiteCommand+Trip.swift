import AdminAPIModel
import ArgumentParser
import FleetDomain
import Foundation

extension SiteCommand {
    /// `breakerfleet site trip SITE`: every breaker of a site at once (evacuation, fire).
    struct Trip: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Trip every breaker of a site (admin).",
            discussion: """
                --dry-run lists what would be tripped and why some would not, changing nothing. A real run needs the \
                site id typed again: at the prompt on a terminal, or with --confirm SITE. Results are shown per \
                breaker as they arrive.
                """)
        @Argument(help: "Site id.") var id: String
        @Option(help: "Why (kept in the audit trail).") var reason: String
        @Flag(help: "Only show what would be tripped.") var dryRun = false
        @Option(help: "The site id again, to confirm without a prompt.") var confirm: String?
        @Option(help: "How long the trips stay valid: \(DurationArgument.help) (default 10m).") var ttl: DurationArgument?
        @Option(help: "How long to follow the results (\(DurationArgument.help), default 1m).") var wait: DurationArgument?
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard Site.isValidID(id) else { throw ValidationError("SITE: \(id) does not match \(Site.idRule)") }
            if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason: a reason is required") }
            if let ttl, !(10...86_400).contains(ttl.seconds) { throw ValidationError("--ttl: \(ttl) is outside 10s–1d") }
        }

        func run() async throws {
            let client = try APIClient(server)
            let path = "api/v1/sites/\(id)/trip"
            if dryRun {
                let plan: SiteTripRepresentation = try await client.post(path, SiteTripRequest(reason: reason, dryRun: true, ttlSeconds: ttl?.seconds))
                if json { return try printJSON(plan) }
                Self.printPlan(plan)
                return
            }
            let confirmation = try confirm ?? Self.prompt(for: id)
            let trip: SiteTripRepresentation = try await client.post(path, SiteTripRequest(
                reason: reason, confirm: confirmation, dryRun: false, ttlSeconds: ttl?.seconds))
            let issued = trip.entries.filter { $0.command != nil }
            if !json {
                print("site \(id): \(issued.count) trip(s) issued as batch \(trip.batch ?? "-")")
                for entry in trip.entries where entry.refusal != nil { print("  \(entry.serial)  not tripped: \(entry.refusal ?? "")") }
            }
            let results = try await SiteTripProgress(batch: trip.batch ?? "", expected: issued.count, client: client, quiet: json)
                .follow(for: wait?.seconds ?? 60)
            if json { return try printJSON(CommandList(commands: results)) }
            let done = results.filter { $0.state == "done" }.count
            print("site \(id): \(done) of \(issued.count) breaker(s) confirmed open")
            if done < issued.count { throw ExitCode(1) }
        }

        static func printPlan(_ plan: SiteTripRepresentation) {
            let trips = plan.entries.filter { $0.refusal == nil }
            print("dry run: \(trips.count) of \(plan.entries.count) breaker(s) of \(plan.site) would be tripped; nothing was changed")
            printTable(header: ["SERIAL", "CIRCUIT", "WOULD TRIP", "WHY NOT"], rows: plan.entries.map {
                [$0.serial, $0.circuit, $0.refusal == nil ? "yes" : "no", $0.refusal ?? ""]
            })
        }

        /// Asks for the site id on a terminal; refuses to guess anywhere else.
        static func prompt(for site: String) throws -> String {
            guard isatty(STDIN_FILENO) == 1 else {
                throw ValidationError("--confirm: a real site trip needs the site id again (--confirm \(site)), or run it on a terminal")
            }
            FileHandle.standardError.write(Data("This trips every breaker of \(site). Type the site id to confirm: ".utf8))
            return readLine()?.trimmingCharacters(in: .whitespaces) ?? ""
        }
    }
}

/// Follows a site trip's commands, printing each breaker's result once as it arrives, with a progress bar.
struct SiteTripProgress {
    let batch: String
    let expected: Int
    let client: APIClient
    let quiet: Bool

    func follow(for seconds: Int) async throws -> [CommandRepresentation] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let bar = ProgressBar(label: "tripping", total: expected)
        var reported: Set<String> = []
        var commands: [CommandRepresentation] = []
        while true {
            let list: CommandList = try await client.get("api/v1/commands", query: [
                URLQueryItem(name: "site_trip", value: batch), URLQueryItem(name: "limit", value: "1000")])
            commands = list.commands
            for command in commands where command.isFinal && reported.insert(command.id).inserted && !quiet {
                bar.clearLine()
                print("  \(command.serial)  \(command.state)\(command.breaker.map { ", breaker \($0)" } ?? "")\(command.resultReason.map { " (\($0))" } ?? "")")
            }
            if !quiet { bar.update(reported.count) }
            if reported.count >= expected || ContinuousClock.now >= deadline { break }
            try await Task.sleep(for: CommandWaiting.pollInterval)
        }
        if !quiet { bar.finish() }
        return commands
    }
}
