import AdminAPIModel
import ArgumentParser
import FleetDomain
import Foundation

/// `breakerfleet security …`: what the device plane refused, and why.
struct SecurityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "security", abstract: "Security events of the device plane.", subcommands: [Events.self])

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refused handshakes and renewals, newest first (one per device, reason and certificate a minute).")

        @Option(help: "Only this device.") var serial: String?
        @Option(help: "Only events within this time (\(DurationArgument.help)).") var since: DurationArgument?
        @Option(help: "At most this many (1–1000).") var limit = 100
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard (1...1000).contains(limit) else { throw ValidationError("--limit: \(limit) is outside 1–1000") }
            if let serial, !Serial.isValid(serial) { throw ValidationError("--serial: \(serial) does not match \(Serial.rule)") }
        }

        func run() async throws {
            var query = [URLQueryItem(name: "limit", value: "\(limit)")]
            if let serial { query.append(URLQueryItem(name: "serial", value: serial)) }
            if let since {
                let start = Int(Date().timeIntervalSince1970) - since.seconds
                query.append(URLQueryItem(name: "since", value: "\(max(0, start))"))
            }
            let answer: SecurityEventList = try await APIClient(server).get("api/v1/security/events", query: query)
            if json { return try printJSON(answer) }
            printTable(header: ["AT", "SERIAL", "REASON", "CERTIFICATE", "DETAIL"], rows: answer.events.map { event in
                [text(event.at), text(event.serial), event.reason.rawValue, event.certificateFingerprint?.short ?? "-", event.detail]
            })
        }
    }
}
