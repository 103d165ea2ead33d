import Foundation

/// One remote command to one breaker, as the store keeps it: what was asked, by whom and why, and its
/// lifecycle (every transition, the device's result).
public struct Command: Sendable, Equatable {
    /// `cmd-` and 16 hex digits: unguessable, and short enough for a CoAP path segment.
    public var id: String
    public var serial: Serial
    public var action: RemoteAction
    /// Why the admin issued it (required: it goes into the audit trail).
    public var reason: String
    /// The token that issued it.
    public var issuedBy: String
    public var issuedByRole: String
    /// Who inspected the circuit, for a reset after a short-circuit trip (carried to the device).
    public var inspectedBy: String?
    /// The site of the site-wide trip this command belongs to, if any.
    public var siteTrip: String?
    public var lifecycle: CommandLifecycle
    /// The store's issue order (0 until stored): commands for one device are delivered in this order.
    public var sequence: Int64

    public init(
        id: String, serial: Serial, action: RemoteAction, reason: String, issuedBy: String, issuedByRole: String,
        inspectedBy: String? = nil, siteTrip: String? = nil, lifecycle: CommandLifecycle, sequence: Int64 = 0
    ) {
        self.id = id
        self.serial = serial
        self.action = action
        self.reason = reason
        self.issuedBy = issuedBy
        self.issuedByRole = issuedByRole
        self.inspectedBy = inspectedBy
        self.siteTrip = siteTrip
        self.lifecycle = lifecycle
        self.sequence = sequence
    }

    public var state: CommandLifecycle.State { lifecycle.state }
    public var issuedAt: Date { lifecycle.transitions.first?.at ?? lifecycle.expiresAt }
    public var expiresAt: Date { lifecycle.expiresAt }

    /// A new command id from `random`.
    public static func newID(_ random: any RandomSource) -> String {
        "cmd-" + Hex.encode(random.bytes(8))
    }

    /// Whether `text` has the shape of a command id (checked before any look-up of a device's path segment).
    public static func isWellFormedID(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 20 && text.hasPrefix("cmd-")
            && text.utf8.dropFirst(4).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Whether a device should be given it now: approved, not final, not past its TTL.
    public func isPending(at now: Date) -> Bool {
        switch state {
        case .queued, .sent: now < expiresAt
        case .delivered: true
        case .awaitingApproval, .done, .failed, .rejected, .expired, .cancelled: false
        }
    }
}

/// Which commands a list shows.
public struct CommandQuery: Sendable, Equatable {
    public var serial: Serial?
    public var states: Set<CommandLifecycle.State>
    public var siteTrip: String?
    /// Newest first; at most this many.
    public var limit: Int
    /// Keyset pagination: commands issued before this sequence.
    public var before: Int64?

    public init(serial: Serial? = nil, states: Set<CommandLifecycle.State> = [], siteTrip: String? = nil,
                limit: Int = 100, before: Int64? = nil) {
        self.serial = serial
        self.states = states
        self.siteTrip = siteTrip
        self.limit = limit
        self.before = before
    }
}

/// Where commands live. Command state is in the store, not in a node's memory: a restart loses nothing,
/// and a node delivers a command another node issued.
public protocol CommandStore: Sendable {
    /// Stores a new command and gives it the next issue sequence; returns it as stored.
    func insertCommand(_ command: Command) async throws -> Command
    /// Stores several new commands in one transaction, in the order given (a site trip); returns them as stored.
    func insertCommands(_ commands: [Command]) async throws -> [Command]
    func command(id: String) async throws -> Command?
    func commands(_ query: CommandQuery) async throws -> [Command]
    /// The device's commands it should be given now (`Command.isPending`), oldest first (issue order).
    func pendingCommands(of serial: Serial, at now: Date) async throws -> [Command]
    /// Applies `event` to the command in one transaction (read, `CommandLifecycle.apply`, write the new
    /// transitions); nil for an unknown id. Concurrent callers never lose a transition.
    func applyCommandEvent(id: String, _ event: CommandLifecycle.Event, at now: Date) async throws
        -> (outcome: CommandLifecycle.Outcome, command: Command)?
    /// Every command still `queued`, `sent` or `awaiting_approval` whose TTL passed by `now`, moved to
    /// `expired`; returns them.
    func expireCommands(at now: Date) async throws -> [Command]
    /// The devices with a command created or changed after `since` (what another node wrote), and the
    /// newest change time seen: the device plane polls this to learn of commands issued elsewhere.
    func devicesWithCommandChanges(since: Date) async throws -> (serials: Set<Serial>, newest: Date?)
}
