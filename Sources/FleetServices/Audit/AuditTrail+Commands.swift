import FleetDomain
import Foundation

// Commands in the audit trail: the `CommandTransitions` observer writes one record per change of state,
// so an issue, an approval, each step of delivery and the device's result are each a record.
extension AuditTrail {
    /// The observer to hand `CommandTransitions`.
    public var commandObserver: CommandTransitions.Observer {
        { [self] commands, actor in await self.record(commands.map { Self.entry(for: $0, by: actor) }) }
    }

    /// The record of the change `command` just went through (its last transition): `command.trip` (the
    /// action) when issued, `command.approved` when a second admin approved it, else `command.<state>`
    /// (`sent`, `delivered`, `done`, `failed`, `rejected`, `expired`, `cancelled`). Results carry the
    /// breaker position and reason the device reported; the admin's reason is on the issue record.
    public static func entry(for command: Command, by actor: CommandTransitions.Actor) -> AuditEntry {
        let transitions = command.lifecycle.transitions
        let last = transitions.last ?? CommandLifecycle.Transition(state: command.state, at: command.issuedAt)
        let issued = transitions.count <= 1
        var detail = ["command_action": command.action.rawValue, "state": last.state.rawValue]
        if let note = last.note { detail["note"] = note }
        var reason: String?
        var breaker: String?
        if issued {
            reason = command.reason
            detail["expires_at"] = ISO8601DateFormatter().string(from: command.expiresAt)
            if let inspectedBy = command.inspectedBy { detail["inspected_by"] = inspectedBy }
            if let siteTrip = command.siteTrip { detail["site_trip"] = siteTrip }
        } else if let result = command.lifecycle.result, [.done, .failed, .rejected].contains(last.state) {
            reason = result.reason
            breaker = result.breaker?.rawValue
        }
        let verb = issued ? command.action.rawValue
            : last.state == .queued ? "approved" : last.state.rawValue
        return AuditEntry(at: last.at, actor: AuditActor(name: actor.name, role: actor.role), action: "command.\(verb)",
                          target: "command:\(command.id)", device: command.serial.rawValue, reason: reason, breaker: breaker,
                          detail: detail)
    }
}
