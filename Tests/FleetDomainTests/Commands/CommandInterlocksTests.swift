import FleetDomain
import Foundation
import XCTest

/// The safety interlocks as a pure decision: each rule refuses by name and says what would satisfy it.
final class CommandInterlocksTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_790_000_000)

    private func facts(capabilities: [ModelCapability] = [.remoteTrip, .remoteReset], remote: ThresholdProfile.Remote = .init(),
                       trip: (cause: String, at: Date)? = nil, open: [Command] = [], state: DeviceState = .active) -> CommandFacts {
        let device = Device(serial: Serial("BRK-1")!, model: "BF-200", state: state, capabilities: [])
        let model = CertifiedModel(code: "BF-200", manufacturer: "Acme", certificationNumber: "1", validFrom: now,
                                   validUntil: now.addingTimeInterval(86_400), ratedCurrentA: 63, poles: 2, capabilities: capabilities)
        return CommandFacts(device: device, model: model, remote: remote, profileName: "commerce v2", unclearedTrip: trip, openCommands: open)
    }

    private func rule(_ result: Result<CommandInterlocks.Approval, InterlockRefusal>) -> String? {
        if case .failure(let refusal) = result { return refusal.rule }
        return nil
    }

    func testEachRuleRefusesByName() {
        XCTAssertEqual(rule(CommandInterlocks.check(.trip, inspectedBy: nil, facts: facts(capabilities: [.remoteReset]))), "model-capability")
        XCTAssertEqual(rule(CommandInterlocks.check(.reset, inspectedBy: nil, facts: facts(capabilities: [.remoteTrip]))), "model-capability")
        XCTAssertEqual(rule(CommandInterlocks.check(.trip, inspectedBy: nil, facts: facts(remote: .init(allowRemoteTrip: false)))), "profile-forbids")
        XCTAssertEqual(rule(CommandInterlocks.check(.reset, inspectedBy: nil, facts: facts(remote: .init(allowRemoteReset: false)))), "profile-forbids")
        XCTAssertEqual(rule(CommandInterlocks.check(.trip, inspectedBy: nil, facts: facts(state: .revoked))), "device-barred")
        XCTAssertEqual(rule(CommandInterlocks.check(.renew, inspectedBy: nil, facts: facts(capabilities: [.pskOnly]))), "no-certificate")
    }

    func testAShortCircuitLatchNeedsANonBlankInspector() {
        let latched = facts(trip: ("short_circuit", now))
        XCTAssertEqual(rule(CommandInterlocks.check(.reset, inspectedBy: nil, facts: latched)), "short-circuit-latch")
        XCTAssertEqual(rule(CommandInterlocks.check(.reset, inspectedBy: "  ", facts: latched)), "short-circuit-latch")
        XCTAssertEqual(try CommandInterlocks.check(.reset, inspectedBy: "Wang", facts: latched).get(), .notNeeded)
        XCTAssertEqual(try CommandInterlocks.check(.reset, inspectedBy: nil, facts: facts(trip: ("overload", now))).get(), .notNeeded)
    }

    func testAPendingTripBlocksAResetAndConfirmationMeansApproval() {
        let trip = Command(id: "cmd-0000000000000001", serial: Serial("BRK-1")!, action: .trip, reason: "r", issuedBy: "a",
                           issuedByRole: "admin", lifecycle: CommandLifecycle(needsApproval: false, issuedAt: now, expiresAt: now + 600))
        let refusal = CommandInterlocks.check(.reset, inspectedBy: nil, facts: facts(open: [trip]))
        XCTAssertEqual(rule(refusal), "trip-pending")
        XCTAssertEqual(try CommandInterlocks.check(.reset, inspectedBy: nil, facts: facts(remote: .init(resetRequiresConfirm: true))).get(), .needed)
        XCTAssertEqual(try CommandInterlocks.check(.trip, inspectedBy: nil, facts: facts(remote: .init(resetRequiresConfirm: true))).get(), .notNeeded)
    }

    func testATripIsClearedByALaterResetEventAClosedReadingOrADoneReset() {
        func event(_ type: EventType, at seconds: Int64, action: EventAction? = nil) -> StoredEvent {
            StoredEvent(report: EventReport(id: "\(seconds)", type: type, at: 1_790_000_000 + seconds, action: action), receivedAt: now)
        }
        let shortCircuit = event(.shortCircuit, at: 10, action: .tripped)
        XCTAssertEqual(UnclearedTrip.find(events: [shortCircuit], latest: [], resets: [])?.cause, "short_circuit")
        XCTAssertNil(UnclearedTrip.find(events: [event(.reset, at: 20), shortCircuit], latest: [], resets: []))
        let closed = Measurement(name: "breaker", stringValue: "closed", time: 1_790_000_030)
        XCTAssertNil(UnclearedTrip.find(events: [shortCircuit], latest: [closed], resets: []))
        let earlierClosed = Measurement(name: "breaker", stringValue: "closed", time: 1_790_000_005)
        XCTAssertNotNil(UnclearedTrip.find(events: [shortCircuit], latest: [earlierClosed], resets: []))
        XCTAssertNil(UnclearedTrip.find(events: [event(.leakage, at: 30, action: .alarmOnly)], latest: [], resets: []))
        let bareTrip = event(.trip, at: 40)
        let cause = Measurement(name: "trip_cause", stringValue: "short_circuit", time: 1_790_000_040)
        XCTAssertEqual(UnclearedTrip.find(events: [bareTrip], latest: [cause], resets: [])?.cause, "short_circuit")
    }
}
