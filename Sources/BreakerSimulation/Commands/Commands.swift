import FleetDomain

/// The actions of `/v1/commands` (spec/device-api.md, "Commands").
public enum CommandAction: String, Sendable, Codable, CaseIterable, Hashable {
    case trip
    case reset
    case selfTest = "self_test"
    /// Re-enroll the certificate now (EST): the network side does it (`Outgoing.Kind.renewal`).
    case renew
}

/// One pending command as `GET /v1/commands` lists it.
public struct PendingCommand: Sendable, Equatable, Hashable, Codable {
    public var id: String
    public var action: CommandAction
    /// Unix seconds.
    public var issued: Int64
    /// Unix seconds; at or after this the command is not executed (reported `rejected`, reason `expired`).
    public var expires: Int64
    /// Who inspected the circuit: a reset after a short-circuit trip is carried out only with it.
    public var inspectedBy: String?

    public init(id: String, action: CommandAction, issued: Int64, expires: Int64, inspectedBy: String? = nil) {
        self.id = id
        self.action = action
        self.issued = issued
        self.expires = expires
        self.inspectedBy = inspectedBy
    }

    enum CodingKeys: String, CodingKey {
        case id, action, issued, expires
        case inspectedBy = "inspected_by"
    }
}

/// Where the breaker's contacts are.
public enum BreakerPosition: String, Sendable, Codable, CaseIterable, Hashable {
    case open
    case closed
}

/// The body of `POST /v1/commands/{id}`: `{"result","breaker","reason"?}`.
public struct CommandResult: Sendable, Equatable, Hashable {
    public enum Outcome: String, Sendable, Codable, CaseIterable, Hashable {
        case done, failed, rejected
    }

    public var result: Outcome
    public var breaker: BreakerPosition
    /// Why it was rejected or failed: `expired`, `latched_short_circuit`, `remote_trip_disabled`,
    /// `remote_reset_disabled`.
    public var reason: String?

    public init(result: Outcome, breaker: BreakerPosition, reason: String? = nil) {
        self.result = result
        self.breaker = breaker
        self.reason = reason
    }

    /// The reasons a simulated breaker gives.
    public enum Reason {
        public static let expired = "expired"
        public static let latchedShortCircuit = "latched_short_circuit"
        public static let remoteTripDisabled = "remote_trip_disabled"
        public static let remoteResetDisabled = "remote_reset_disabled"
        public static let renewalFailed = "renewal_failed"
    }
}
