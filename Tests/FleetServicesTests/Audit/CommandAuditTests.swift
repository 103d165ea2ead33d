import FleetDomain
import FleetServices
import Foundation
import XCTest

/// Commands in the audit trail: every change a command goes through, recorded by the `CommandTransitions`
/// observer with who caused it and, for results, the breaker position the device reported.
final class CommandAuditTests: FleetTestCase {
    func testEveryChangeOfACommandIsOneRecordWithItsActor() async throws {
        let store = fleet.store
        let trail = AuditTrail(store: store, clock: ManualWallClock(t0), logger: quietLogger)
        let transitions = CommandTransitions(store: store, observer: trail.commandObserver)
        let device = serial("BRK-0001")
        let command = try await store.insertCommand(Command(
            id: "cmd-00000000000000a1", serial: device, action: .reset, reason: "hazard cleared", issuedBy: "ops-alice",
            issuedByRole: "admin", inspectedBy: "Wang",
            lifecycle: CommandLifecycle(needsApproval: true, issuedAt: t0, expiresAt: t0.addingTimeInterval(600))))
        await transitions.changed(command, by: .init(name: "ops-alice", role: "admin"))
        let steps: [(CommandLifecycle.Event, CommandTransitions.Actor)] = [
            (.approved(by: "ops-bob"), .init(name: "ops-bob", role: "admin")),
            (.sent, .server),
            (.delivered, .device(device)),
            (.reported(CommandReport(.done, breaker: .closed, reason: "closed by command")), .device(device)),
        ]
        for (index, (event, actor)) in steps.enumerated() {
            _ = try await transitions.apply(command.id, event, at: t0.addingTimeInterval(Double(index + 1)), by: actor)
        }

        let records = try await store.auditRecords(AuditQuery(device: "BRK-0001"))
        XCTAssertEqual(records.map(\.action), ["command.reset", "command.approved", "command.sent", "command.delivered", "command.done"])
        XCTAssertEqual(records.map(\.actor.name), ["ops-alice", "ops-bob", "breakerfleet", "BRK-0001", "BRK-0001"])
        XCTAssertEqual(Set(records.map(\.target)), ["command:cmd-00000000000000a1"])
        XCTAssertEqual(records.first?.reason, "hazard cleared")
        XCTAssertEqual(records.first?.detail["inspected_by"], "Wang")
        XCTAssertEqual(records.last?.breaker, "closed")
        XCTAssertEqual(records.last?.reason, "closed by command")
        XCTAssertEqual(records.last?.at, t0.addingTimeInterval(4), "the transition's time, not the recorder's")
        let verification = try await store.verifyAudit()
        XCTAssertEqual(verification, .intact(count: 5, lastHash: records.last!.hash))
    }
}
