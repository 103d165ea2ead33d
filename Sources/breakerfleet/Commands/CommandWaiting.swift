import AdminAPIModel
import ArgumentParser
import Foundation

/// Following commands until the devices answer: the CLI polls the API (a person is waiting; a few requests
/// a second cost nothing) and prints each change as it happens.
enum CommandWaiting {
    static let pollInterval: Duration = .milliseconds(200)

    /// Polls command `id` until it is final or `limit` passed; returns it as last seen.
    static func follow(_ id: String, for limit: DurationArgument, client: APIClient, quiet: Bool) async throws -> CommandRepresentation {
        let deadline = ContinuousClock.now + .seconds(limit.seconds)
        var command: CommandRepresentation = try await client.get("api/v1/commands/\(id)")
        var shown = 0
        while true {
            if !quiet {
                for transition in command.transitions.dropFirst(shown) {
                    print("  \(text(transition.at))  \(transition.state)\(transition.note.map { " (\($0))" } ?? "")")
                }
            }
            shown = command.transitions.count
            if command.isFinal { break }
            guard ContinuousClock.now < deadline else {
                if !quiet { print("\(id): still \(command.state) after \(limit)") }
                return command
            }
            try await Task.sleep(for: pollInterval)
            command = try await client.get("api/v1/commands/\(id)")
        }
        if !quiet { print("\(id): \(command.state)\(command.breaker.map { ", breaker \($0)" } ?? "")\(command.resultReason.map { " (\($0))" } ?? "")") }
        return command
    }

    /// `command show`: what was asked, then every transition.
    static func describe(_ command: CommandRepresentation) {
        print("\(command.id): \(command.action) \(command.serial), \(command.state)")
        print("  reason:       \(command.reason)")
        print("  issued by:    \(command.issuedBy) at \(text(command.issuedAt)), valid until \(text(command.expiresAt))")
        if let inspector = command.inspectedBy { print("  inspected by: \(inspector)") }
        if let batch = command.siteTrip { print("  site trip:    \(batch)") }
        if let result = command.result {
            print("  result:       \(result)\(command.breaker.map { ", breaker \($0)" } ?? "")\(command.resultReason.map { " (\($0))" } ?? "")")
        }
        print("  timeline:")
        for transition in command.transitions {
            print("    \(text(transition.at))  \(transition.state)\(transition.note.map { "  \($0)" } ?? "")")
        }
    }
}
