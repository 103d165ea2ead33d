import Foundation

/// What a remote command asks a breaker to do (spec: "Commands").
public enum RemoteAction: String, Sendable, Codable, CaseIterable {
    /// Open the breaker.
    case trip
    /// Close it again.
    case reset
    case selfTest = "self_test"
    /// Re-enroll its certificate now (EST).
    case renew
}

/// What a device reports about a command it received (`POST /v1/commands/{id}`).
public struct CommandReport: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        case done, failed, rejected
    }

    public enum BreakerPosition: String, Sendable, Codable, CaseIterable {
        case open, closed
    }

    public var outcome: Outcome
    /// The breaker's position after the command, as the device reports it.
    public var breaker: BreakerPosition?
    public var reason: String?

    public init(_ outcome: Outcome, breaker: BreakerPosition? = nil, reason: String? = nil) {
        self.outcome = outcome
        self.breaker = breaker
        self.reason = reason
    }
}
