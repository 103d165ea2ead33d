import FleetDomain
import Foundation
import Metrics

/// The one way a command changes state once issued (sent, delivered, reported, approved, cancelled,
/// expired): the store applies the lifecycle event in one transaction, then each change is measured and
/// handed to `observer` (the audit trail). Any thread.
public final class CommandTransitions: Sendable {
    /// Who caused a transition: a token (name, role), a device (serial, `device`) or the server itself.
    public struct Actor: Sendable, Equatable {
        public var name: String
        public var role: String

        public init(name: String, role: String) {
            self.name = name
            self.role = role
        }

        public static let server = Actor(name: "breakerfleet", role: "system")
        public static func device(_ serial: Serial) -> Actor { Actor(name: serial.rawValue, role: "device") }
    }

    /// Called after changes with the commands as stored after them and who caused them (several at once for
    /// a site trip, so the audit trail records them in one transaction).
    public typealias Observer = @Sendable (_ commands: [Command], _ actor: Actor) async -> Void

    let store: any CommandStore
    let observer: Observer?

    public init(store: any CommandStore, observer: Observer? = nil) {
        self.store = store
        self.observer = observer
    }

    /// Applies `event` to command `id`; nil for an unknown id.
    @discardableResult
    public func apply(_ id: String, _ event: CommandLifecycle.Event, at now: Date, by actor: Actor) async throws
        -> (outcome: CommandLifecycle.Outcome, command: Command)?
    {
        guard let applied = try await store.applyCommandEvent(id: id, event, at: now) else { return nil }
        if case .changed = applied.outcome { await changed(applied.command, by: actor) }
        return applied
    }

    /// Expires every undelivered command past its TTL; returns them (their devices need telling).
    public func expire(at now: Date) async throws -> [Command] {
        let expired = try await store.expireCommands(at: now)
        for command in expired { await changed(command, by: .server) }
        return expired
    }

    /// Measures and reports a change the store already made (an insert counts as the first one).
    public func changed(_ command: Command, by actor: Actor) async {
        await changed([command], by: actor)
    }

    /// `changed` for several commands at once.
    public func changed(_ commands: [Command], by actor: Actor) async {
        guard !commands.isEmpty else { return }
        for command in commands { CommandMetrics.record(command) }
        await observer?(commands, actor)
    }
}

/// `breakerfleet_commands_total{action,state}` for every final state, and
/// `breakerfleet_command_delivery_seconds{action}`: from issue (or approval) to the device's receipt.
enum CommandMetrics {
    static func record(_ command: Command) {
        let action = command.action.rawValue
        if command.state.isFinal {
            Counter(label: "breakerfleet_commands_total", dimensions: [("action", action), ("state", command.state.rawValue)])
                .increment()
        }
        // Delivered by this change: explicitly, or implied by a result that came while it was `sent` (the
        // lifecycle then adds `delivered` and the result at the same instant).
        let transitions = command.lifecycle.transitions
        guard let last = transitions.last,
              let delivered = last.state == .delivered ? last
                : transitions.dropLast().last.flatMap({ $0.state == .delivered && $0.at == last.at ? $0 : nil }),
              let queued = transitions.last(where: { $0.state == .queued }) else { return }
        Metrics.Timer(label: "breakerfleet_command_delivery_seconds", dimensions: [("action", action)])
            .recordNanoseconds(Int64(max(0, delivered.at.timeIntervalSince(queued.at)) * 1e9))
    }
}
