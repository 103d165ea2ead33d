import FleetDomain
import Foundation

/// Issues, approves and cancels remote commands: gathers what the safety interlocks look at, applies them,
/// stores the command and tells the device plane. Any thread.
public struct CommandIssuing: Sendable {
    /// Who asks: the token's id, name and role.
    public struct Issuer: Sendable, Equatable {
        public var tokenID: String
        public var name: String
        public var role: String

        public init(tokenID: String, name: String, role: String) {
            self.tokenID = tokenID
            self.name = name
            self.role = role
        }

        var actor: CommandTransitions.Actor { CommandTransitions.Actor(name: name, role: role) }
    }

    /// A command to issue.
    public struct Order: Sendable, Equatable {
        public var serial: Serial
        public var action: RemoteAction
        public var reason: String
        public var ttl: TimeInterval
        public var inspectedBy: String?
        public var siteTrip: String?

        public init(serial: Serial, action: RemoteAction, reason: String, ttl: TimeInterval = CommandIssuing.defaultTTL,
                    inspectedBy: String? = nil, siteTrip: String? = nil) {
            self.serial = serial
            self.action = action
            self.reason = reason
            self.ttl = ttl
            self.inspectedBy = inspectedBy
            self.siteTrip = siteTrip
        }
    }

    /// Ten minutes, unless the command says otherwise.
    public static let defaultTTL: TimeInterval = 600
    /// Ten seconds to one day: shorter cannot reach a device that checks in at all; a day-old trip is
    /// no longer the decision of whoever issued it.
    public static let ttlRange: ClosedRange<TimeInterval> = 10...86_400

    let store: any FleetStore
    let transitions: CommandTransitions
    let environment: ServiceEnvironment
    let commandsChanged: @Sendable (Serial) -> Void

    public init(store: any FleetStore, transitions: CommandTransitions, environment: ServiceEnvironment,
                commandsChanged: @escaping @Sendable (Serial) -> Void) {
        self.store = store
        self.transitions = transitions
        self.environment = environment
        self.commandsChanged = commandsChanged
    }

    /// Issues `order` if the interlocks allow it: queued for delivery, or awaiting a second admin's approval
    /// where the profile says `reset_requires_confirm`. Throws `DomainError` (not found, invalid, the
    /// interlock that refuses).
    public func issue(_ order: Order, by issuer: Issuer) async throws -> Command {
        guard let facts = try await facts(for: order.serial) else {
            throw DomainError(.notFound, "no device \(order.serial)")
        }
        let approval = try CommandInterlocks.check(order.action, inspectedBy: order.inspectedBy, facts: facts)
            .mapError(\.domainError).get()
        return try await insert(order, approval: approval, by: issuer)
    }

    /// Stores a command the interlocks allowed and tells the device plane.
    func insert(_ order: Order, approval: CommandInterlocks.Approval, by issuer: Issuer) async throws -> Command {
        try await insert([(order, approval)], by: issuer)[0]
    }

    /// Stores commands the interlocks allowed in one transaction, tells the device plane at once, then
    /// records them (metrics, audit): the device need not wait for the audit trail's write.
    func insert(_ orders: [(Order, CommandInterlocks.Approval)], by issuer: Issuer) async throws -> [Command] {
        let now = environment.wallClock.now()
        let commands = try await store.insertCommands(orders.map { order, approval in
            Command(
                id: Command.newID(environment.random), serial: order.serial, action: order.action, reason: order.reason,
                issuedBy: issuer.name, issuedByRole: issuer.role, inspectedBy: order.inspectedBy, siteTrip: order.siteTrip,
                lifecycle: CommandLifecycle(needsApproval: approval == .needed, issuedAt: now, expiresAt: now.addingTimeInterval(order.ttl)))
        })
        for command in commands where command.state == .queued { commandsChanged(command.serial) }
        await transitions.changed(commands, by: issuer.actor)
        return commands
    }

    /// A second admin approves a command that awaits it. The issuer cannot approve their own command.
    public func approve(_ id: String, by approver: Issuer) async throws -> Command {
        guard let command = try await store.command(id: id) else { throw DomainError(.notFound, "no command \(id)") }
        guard command.issuedBy != approver.name else {
            throw DomainError(.conflict, "\(approver.name) issued \(id): a different admin's token must approve it",
                              rule: DomainError.Rule("two-person-approval", "A second admin must approve"))
        }
        guard command.state == .awaitingApproval else {
            throw DomainError(.conflict, "command \(id) is \(command.state.rawValue), not awaiting approval")
        }
        return try await change(id, .approved(by: approver.name), by: approver)
    }

    /// Cancels a command the device has not received yet.
    public func cancel(_ id: String, by canceller: Issuer) async throws -> Command {
        try await change(id, .cancelled(by: canceller.name), by: canceller)
    }

    private func change(_ id: String, _ event: CommandLifecycle.Event, by issuer: Issuer) async throws -> Command {
        guard let (outcome, command) = try await transitions.apply(id, event, at: environment.wallClock.now(), by: issuer.actor) else {
            throw DomainError(.notFound, "no command \(id)")
        }
        switch outcome {
        case .refused(let why): throw DomainError(.conflict, "command \(id) is \(command.state.rawValue): \(why)")
        case .unchanged where command.state.isFinal:
            throw DomainError(.conflict, "command \(id) is already \(command.state.rawValue)")
        case .changed, .unchanged:
            commandsChanged(command.serial)
            return command
        }
    }

    /// What the interlocks look at for one device; nil if there is no such device.
    public func facts(for serial: Serial) async throws -> CommandFacts? {
        guard let device = try await store.device(serial) else { return nil }
        // Independent reads, at once: the store's readers run concurrently, and an admin (or a device
        // waiting for its trip) should wait for the slowest of them, not their sum.
        async let model = store.model(device.model)
        async let remote = remoteSettings(of: serial)
        async let events = store.events(serial, limit: 50)
        async let latest = store.latestMeasurements(serial)
        async let done = store.commands(CommandQuery(serial: serial, states: [.done], limit: 20))
        async let open = store.commands(CommandQuery(serial: serial, states: [.awaitingApproval, .queued, .sent, .delivered], limit: 100))
        let (settings, profileName) = try await remote
        let resets = try await done.filter { $0.action == .reset }
        return CommandFacts(
            device: device, model: try await model, remote: settings, profileName: profileName,
            unclearedTrip: UnclearedTrip.find(events: try await events, latest: try await latest, resets: resets),
            openCommands: try await open.reversed())
    }

    /// The `remote` group of the profile the device should run (the fleet's `default` until precedence
    /// ran for it); the profile defaults if there is none at all.
    private func remoteSettings(of serial: Serial) async throws -> (ThresholdProfile.Remote, String) {
        let desired = try await store.deviceProfileState(serial)?.resolution.desired
        let stored = if let desired {
            try await store.profile(desired.profileID, version: desired.version)
        } else {
            try await store.profile("default", version: nil)
        }
        guard let profile = stored?.profile else { return (ThresholdProfile.Remote(), "no profile (defaults)") }
        return (profile.remote, profile.id + (profile.version.map { " v\($0)" } ?? ""))
    }
}
