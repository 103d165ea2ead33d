import AdminAPIModel
import ArgumentParser
import Foundation

/// `breakerfleet ingest …`: the device data path's own records.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "The ingest path of device data.", subcommands: [Quarantine.self])

    struct Quarantine: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Journaled records the store refused, set aside so that ingest goes on (newest first).")

        @Option(help: "At most this many (1–1000).") var limit = 100
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard (1...1000).contains(limit) else { throw ValidationError("--limit: \(limit) is outside 1–1000") }
        }

        func run() async throws {
            let answer: QuarantineList = try await APIClient(server).get(
                "api/v1/ingest/quarantine", query: [URLQueryItem(name: "limit", value: "\(limit)")])
            if json { return try printJSON(answer) }
            print("quarantined records: \(answer.records.count)")
            printTable(header: ["QUARANTINED", "SERIAL", "KIND", "JOURNAL", "ERROR"], rows: answer.records.map { record in
                [text(record.quarantinedAt), record.serial, record.kind, "\(record.journalSegment):\(record.journalOffset)", record.error]
            })
        }
    }
}
