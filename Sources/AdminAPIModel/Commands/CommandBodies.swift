import FleetDomain
import Foundation

/// `POST /api/v1/commands`: `{"serial","action","reason","ttl_s"?,"inspected_by"?}`. The action stays text
/// so that a wrong one is reported with the actions there are.
public struct CommandRequest: Codable, Sendable, Equatable {
    public var serial: String
    public var action: String
    public var reason: String
    /// Seconds the command stays valid (default 600).
    public var ttlSeconds: Int?
    /// Who inspected the circuit: required for a reset after a short-circuit trip.
    public var inspectedBy: String?

    enum CodingKeys: String, CodingKey {
        case serial, action, reason, ttlSeconds = "ttl_s", inspectedBy = "inspected_by"
    }

    public init(serial: String, action: String, reason: String, ttlSeconds: Int? = nil, inspectedBy: String? = nil) {
        self.serial = serial
        self.action = action
        self.reason = reason
        self.ttlSeconds = ttlSeconds
        self.inspectedBy = inspectedBy
    }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let serial: String? = fields.required(.serial)
        let action: String? = fields.required(.action)
        let reason: String? = fields.required(.reason)
        ttlSeconds = fields.optional(.ttlSeconds)
        inspectedBy = fields.optional(.inspectedBy)
        (self.serial, self.action, self.reason) = try fields.complete(serial, action, reason)
    }
}

/// One step of a command's life.
public struct CommandTransitionRepresentation: Codable, Sendable, Equatable {
    public var state: String
    public var at: Date
    public var note: String?

    public init(_ transition: CommandLifecycle.Transition) {
        state = transition.state.rawValue
        at = transition.at
        note = transition.note
    }
}

/// A command as the API shows it: what was asked, by whom, its state, the device's result and, in
/// `GET /api/v1/commands/{id}`, every transition.
public struct CommandRepresentation: Codable, Sendable, Equatable {
    public var id: String
    public var serial: String
    public var action: String
    public var reason: String
    public var issuedBy: String
    public var issuedAt: Date
    public var expiresAt: Date
    public var inspectedBy: String?
    public var siteTrip: String?
    public var state: String
    /// The device's result: `done`, `failed` or `rejected`.
    public var result: String?
    /// The breaker's position the device reported with its result.
    public var breaker: String?
    public var resultReason: String?
    public var transitions: [CommandTransitionRepresentation]

    enum CodingKeys: String, CodingKey {
        case id, serial, action, reason, issuedBy = "issued_by", issuedAt = "issued_at", expiresAt = "expires_at"
        case inspectedBy = "inspected_by", siteTrip = "site_trip", state, result, breaker
        case resultReason = "result_reason", transitions
    }

    public init(_ command: Command) {
        id = command.id
        serial = command.serial.rawValue
        action = command.action.rawValue
        reason = command.reason
        issuedBy = command.issuedBy
        issuedAt = command.issuedAt
        expiresAt = command.expiresAt
        inspectedBy = command.inspectedBy
        siteTrip = command.siteTrip
        state = command.state.rawValue
        result = command.lifecycle.result?.outcome.rawValue
        breaker = command.lifecycle.result?.breaker?.rawValue
        resultReason = command.lifecycle.result?.reason
        transitions = command.lifecycle.transitions.map(CommandTransitionRepresentation.init)
    }

    /// Whether no event will change it any more.
    public var isFinal: Bool {
        CommandLifecycle.State(rawValue: state)?.isFinal ?? false
    }
}

/// `GET /api/v1/commands`: newest first.
public struct CommandList: Codable, Sendable, Equatable {
    public var commands: [CommandRepresentation]

    public init(commands: [CommandRepresentation]) {
        self.commands = commands
    }
}

/// `POST /api/v1/sites/{id}/trip`: `{"reason","confirm","dry_run"?,"ttl_s"?}`; `confirm` repeats the site id
/// (not needed for a dry run).
public struct SiteTripRequest: Codable, Sendable, Equatable {
    public var reason: String
    public var confirm: String?
    public var dryRun: Bool?
    public var ttlSeconds: Int?

    enum CodingKeys: String, CodingKey {
        case reason, confirm, dryRun = "dry_run", ttlSeconds = "ttl_s"
    }

    public init(reason: String, confirm: String? = nil, dryRun: Bool? = nil, ttlSeconds: Int? = nil) {
        self.reason = reason
        self.confirm = confirm
        self.dryRun = dryRun
        self.ttlSeconds = ttlSeconds
    }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let reason: String? = fields.required(.reason)
        confirm = fields.optional(.confirm)
        dryRun = fields.optional(.dryRun)
        ttlSeconds = fields.optional(.ttlSeconds)
        self.reason = try fields.complete(reason)
    }
}

/// What a site trip did (or, for a dry run, would do) to each breaker of the site.
public struct SiteTripRepresentation: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var serial: String
        public var circuit: String
        /// Why it is not tripped; nil if it is (or would be).
        public var refusal: String?
        /// The trip issued for it (real runs).
        public var command: String?

        public init(serial: String, circuit: String, refusal: String?, command: String?) {
            self.serial = serial
            self.circuit = circuit
            self.refusal = refusal
            self.command = command
        }
    }

    public var site: String
    public var dryRun: Bool
    /// The batch id its commands carry as `site_trip` (real runs).
    public var batch: String?
    public var entries: [Entry]

    enum CodingKeys: String, CodingKey {
        case site, dryRun = "dry_run", batch, entries
    }

    public init(site: String, dryRun: Bool, batch: String?, entries: [Entry]) {
        self.site = site
        self.dryRun = dryRun
        self.batch = batch
        self.entries = entries
    }
}
