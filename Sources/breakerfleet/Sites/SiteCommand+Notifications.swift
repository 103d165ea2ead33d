import AdminAPIModel
import ArgumentParser
import FleetDomain
import Foundation

extension SiteCommand {
    /// `breakerfleet site rotate-secret SITE`: a new webhook signing key, printed once.
    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret",
            abstract: "Make a new key that signs the site's webhook notices (printed once; the old one stops at once).")
        @Argument(help: "Site id.") var id: String
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard Site.isValidID(id) else { throw ValidationError("ID: \(id) does not match \(Site.idRule)") }
        }

        func run() async throws {
            let answer: SiteRepresentation = try await APIClient(server).post("api/v1/sites/\(id)/webhook-secret", EmptyBody())
            print("new webhook signing secret for \(id) (shown once): \(answer.webhookSecret ?? "-")")
        }
    }

    /// `breakerfleet site notifications SITE`: notices to the site's manager and how each attempt went.
    struct Notifications: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Notices sent to the site's webhook, newest first, with every attempt.")
        @Argument(help: "Site id.") var id: String
        @Option(help: "At most this many (1–1000).") var limit = 50
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard Site.isValidID(id) else { throw ValidationError("ID: \(id) does not match \(Site.idRule)") }
            guard (1...1000).contains(limit) else { throw ValidationError("--limit: \(limit) is outside 1–1000") }
        }

        func run() async throws {
            let answer: SiteNotificationList = try await APIClient(server).get(
                "api/v1/sites/\(id)/notifications", query: [URLQueryItem(name: "limit", value: String(limit))])
            if json { return try printJSON(answer) }
            printTable(header: ["DELIVERY", "DEVICE", "WHAT", "OCCURRED", "STATE", "ATTEMPTS", "LAST ATTEMPT"], rows: answer.notifications.map { notice in
                let last = notice.attempts.last.map { attempt in
                    "\(text(attempt.at)) " + (attempt.status.map { "HTTP \($0)" } ?? attempt.error ?? "-")
                }
                return [notice.delivery, notice.serial, "\(notice.kind) \(notice.subject)", text(notice.occurredAt), notice.state,
                        String(notice.attempts.count), last ?? "-"]
            })
        }
    }
}
