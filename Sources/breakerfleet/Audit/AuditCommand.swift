import AdminAPIModel
import ArgumentParser
import FleetDomain
import Foundation

/// `breakerfleet audit …`: who changed what in the fleet, and proof that the record is whole.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The hash-chained audit trail of every admin write (admin, supervisor).",
        subcommands: [List.self, Verify.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit records, oldest first: the newest --limit of those that match, or the page after --after.")

        @Option(help: "Only records about this device (serial).") var device: String?
        @Option(help: "Only records by this actor (token name, serial, claim:ID or breakerfleet).") var actor: String?
        @Option(help: "Only records since a time: RFC 3339 (2026-12-01T00:00:00Z) or \(DurationArgument.help) ago.")
        var since: TimeArgument?
        @Option(help: "Only actions starting with this (device., command.trip, token.).") var action: String?
        @Option(help: "At most this many (1–1000).") var limit = 100
        @Option(help: "Records after this sequence number (to page forward).") var after: Int64?
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard (1...1000).contains(limit) else { throw ValidationError("--limit: \(limit) is outside 1–1000") }
            if let device, !Serial.isValid(device) { throw ValidationError("--device: \(device) does not match \(Serial.rule)") }
            if let after, after < 0 { throw ValidationError("--after: \(after) is negative") }
        }

        func run() async throws {
            var query = [URLQueryItem(name: "limit", value: "\(limit)")]
            if let device { query.append(URLQueryItem(name: "device", value: device)) }
            if let actor { query.append(URLQueryItem(name: "actor", value: actor)) }
            if let action { query.append(URLQueryItem(name: "action", value: action)) }
            if let after { query.append(URLQueryItem(name: "after", value: "\(after)")) }
            if let since {
                query.append(URLQueryItem(name: "since", value: ISO8601DateFormatter().string(from: since.date(now: Date()))))
            }
            let answer: AuditRecordList = try await APIClient(server).get("api/v1/audit", query: query)
            if json { return try printJSON(answer) }
            printTable(header: ["SEQ", "AT", "ACTOR", "ROLE", "ACTION", "TARGET", "REASON", "DETAIL"], rows: answer.records.map { record in
                [String(record.sequence), text(record.at), record.actor.name, record.actor.role, record.action, record.target,
                 Self.oneLine(record.reason), Self.detail(record)]
            })
        }

        /// `key=value` pairs by key, the reported breaker state first.
        static func detail(_ record: AuditRecord) -> String {
            var pairs = record.breaker.map { ["breaker=\($0)"] } ?? []
            pairs += record.detail.keys.sorted().map { "\($0)=\(record.detail[$0] ?? "")" }
            return pairs.isEmpty ? "-" : oneLine(pairs.joined(separator: " "))
        }

        /// A table cell keeps to one line.
        static func oneLine(_ value: String?) -> String {
            guard let value else { return "-" }
            return value.replacingOccurrences(of: "\n", with: "⏎")
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-hash the whole trail on the server: exit 0 if intact, 1 naming the first record altered or removed.")

        @Flag(help: "Print the API's JSON (the exit status is the same).") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let answer: AuditVerificationAnswer = try await APIClient(server).get("api/v1/audit/verify")
            if json {
                try printJSON(answer)
            } else if answer.intact {
                print("audit chain intact: \(answer.records ?? 0) records, head \(answer.head ?? "-")")
            } else {
                print("audit chain BROKEN: \(answer.problem ?? "record \(answer.firstBadSequence ?? 0) is not as written")")
            }
            if !answer.intact { throw ExitCode(1) }
        }
    }
}

/// A point in time on the command line: RFC 3339, or a duration meaning that long ago.
struct TimeArgument: ExpressibleByArgument {
    private let absolute: Date?
    private let ago: DurationArgument?

    init?(argument: String) {
        if let date = ISO8601DateFormatter().date(from: argument) {
            (absolute, ago) = (date, nil)
        } else if let duration = DurationArgument(argument: argument) {
            (absolute, ago) = (nil, duration)
        } else {
            return nil
        }
    }

    func date(now: Date) -> Date {
        absolute ?? now.addingTimeInterval(-TimeInterval(ago?.seconds ?? 0))
    }
}
