import Foundation

/// The life of one remote command, as a pure state machine (issue 11): every transition is timestamped and
/// kept, and an event that does not apply is either ignored (a repeat: nothing changes) or refused (with the
/// rule it breaks), never half-applied.
///
/// ```
/// awaiting_approval ─approved─▶ queued ─sent─▶ sent ─delivered─▶ delivered ─reported─▶ done | failed | rejected
///        │                        │               │
///        └────────── cancelled / expired (before delivery only) ─────────┘
/// ```
/// A result reported while the command is still `sent` means the device got it and its acknowledgement was
/// lost: it counts as delivered, then the result applies. Once delivered, the device may have acted on it, so
/// it can no longer be cancelled, and it waits for the device's result rather than expiring.
public struct CommandLifecycle: Sendable, Equatable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case awaitingApproval = "awaiting_approval"
        case queued, sent, delivered, done, failed, rejected, expired, cancelled

        /// No event changes a final state.
        public var isFinal: Bool {
            switch self {
            case .done, .failed, .rejected, .expired, .cancelled: true
            case .awaitingApproval, .queued, .sent, .delivered: false
            }
        }
    }

    public enum Event: Sendable, Equatable {
        /// A second admin approved a command that needed it.
        case approved(by: String)
        /// Pushed as a notification, or listed in a device's `GET /v1/commands`.
        case sent
        /// The device acknowledged the notification, or fetched the list.
        case delivered
        /// The device's result.
        case reported(CommandReport)
        /// Its TTL passed.
        case expired
        case cancelled(by: String)
    }

    public struct Transition: Sendable, Equatable, Codable {
        public var state: State
        public var at: Date
        /// Who caused it (approver, canceller) or why (a device's reason), when that is known.
        public var note: String?

        public init(state: State, at: Date, note: String? = nil) {
            self.state = state
            self.at = at
            self.note = note
        }
    }

    public enum Outcome: Sendable, Equatable {
        case changed(State)
        /// Nothing to do: a repeat (a second result, a re-send) or an event a final state ignores.
        case unchanged
        /// The event breaks a rule; the message says which and what would be needed.
        case refused(String)
    }

    public private(set) var state: State
    public private(set) var transitions: [Transition]
    public private(set) var result: CommandReport?
    public let expiresAt: Date

    /// A new command: waiting for a second admin's approval, or queued for delivery.
    public init(needsApproval: Bool, issuedAt: Date, expiresAt: Date) {
        let first: State = needsApproval ? .awaitingApproval : .queued
        state = first
        transitions = [Transition(state: first, at: issuedAt)]
        self.expiresAt = expiresAt
    }

    /// A command as a store kept it: its transitions, oldest first (never empty), and its result.
    public init(restoring transitions: [Transition], result: CommandReport?, expiresAt: Date) {
        precondition(!transitions.isEmpty, "a command has at least its first state")
        self.transitions = transitions
        self.state = transitions[transitions.count - 1].state
        self.result = result
        self.expiresAt = expiresAt
    }

    public mutating func apply(_ event: Event, at now: Date) -> Outcome {
        if case .reported(let late) = event, state == .expired, late.outcome != .rejected,
           !transitions.contains(where: { $0.state == .done || $0.state == .failed }) {
            // The device acted on it before the TTL by its own clock, and its report arrived after the
            // server expired it: what the breaker did is the truth the record must show.
            result = late
            return move(to: State(late.outcome), at: now, note: late.reason ?? "reported after it expired on the server")
        }
        if state.isFinal { return .unchanged }
        switch (event, state) {
        case (.approved(let approver), .awaitingApproval):
            return move(to: .queued, at: now, note: "approved by \(approver)")
        case (.approved, _):
            return .unchanged
        case (.sent, .awaitingApproval):
            return .refused("the command awaits a second admin's approval")
        case (.sent, .queued):
            return move(to: .sent, at: now)
        case (.sent, _):
            return .unchanged
        case (.delivered, .awaitingApproval):
            return .refused("the command awaits a second admin's approval")
        case (.delivered, .queued), (.delivered, .sent):
            return move(to: .delivered, at: now)
        case (.delivered, _):
            return .unchanged
        case (.reported, .awaitingApproval), (.reported, .queued):
            return .refused("the command was never sent to the device")
        case (.reported(let reported), .sent), (.reported(let reported), .delivered):
            // A result for a command still `sent`: the device has it, its acknowledgement was lost.
            if state == .sent { _ = move(to: .delivered, at: now) }
            result = reported
            return move(to: State(reported.outcome), at: now, note: reported.reason)
        case (.reported, _):
            return .unchanged
        case (.expired, .delivered):
            return .refused("delivered: the device may have acted on it; its result decides")
        case (.expired, _):
            guard now >= expiresAt else { return .refused("the command is valid until \(expiresAt)") }
            return move(to: .expired, at: now)
        case (.cancelled, .delivered):
            return .refused("delivered: the device may have acted on it; issue the opposite command instead")
        case (.cancelled(let canceller), _):
            return move(to: .cancelled, at: now, note: "cancelled by \(canceller)")
        }
    }

    private mutating func move(to next: State, at now: Date, note: String? = nil) -> Outcome {
        state = next
        transitions.append(Transition(state: next, at: now, note: note))
        return .changed(next)
    }
}

extension CommandLifecycle.State {
    init(_ outcome: CommandReport.Outcome) {
        switch outcome {
        case .done: self = .done
        case .failed: self = .failed
        case .rejected: self = .rejected
        }
    }
}
