import FleetDomain
import Foundation
import GRDB

// CommandStore on SQLite: the command row holds its current state (what lists and the device plane read),
// `command_transitions` every step of its life.
extension SQLiteFleetStore: CommandStore {
    private static let commandColumns = """
        sequence, id, serial, action, reason, issued_by, issued_by_role, inspected_by, site_trip, issued_at, expires_at,
        state, result, breaker, result_reason
        """
    private static let openStates = "('awaiting_approval', 'queued', 'sent', 'delivered')"

    public func insertCommand(_ command: Command) async throws -> Command {
        try await insertCommands([command])[0]
    }

    public func insertCommands(_ commands: [Command]) async throws -> [Command] {
        try await pool.write { db in try commands.map { try Self.insert($0, in: db) } }
    }

    /// `db.cachedStatement` would do too; a site trip of 1 000 inserts is one transaction either way.
    private static func insert(_ command: Command, in db: Database) throws -> Command {
        try db.execute(sql: """
            INSERT INTO commands (id, serial, action, reason, issued_by, issued_by_role, inspected_by, site_trip,
                                  issued_at, expires_at, state, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                command.id, command.serial.rawValue, command.action.rawValue, command.reason, command.issuedBy,
                command.issuedByRole, command.inspectedBy, command.siteTrip, command.issuedAt.unixSeconds,
                command.expiresAt.unixSeconds, command.state.rawValue, command.issuedAt.unixSeconds,
            ])
        var stored = command
        stored.sequence = db.lastInsertedRowID
        try appendTransitions(command.lifecycle.transitions, from: 0, of: stored.sequence, in: db)
        return stored
    }

    public func command(id: String) async throws -> Command? {
        try await pool.read { db in try Self.command(id: id, in: db) }
    }

    public func commands(_ query: CommandQuery) async throws -> [Command] {
        guard query.limit > 0 else { return [] }
        return try await pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let serial = query.serial {
                conditions.append("serial = ?")
                arguments += [serial.rawValue]
            }
            if !query.states.isEmpty {
                let states = query.states.map(\.rawValue).sorted()
                conditions.append("state IN (\(states.map { _ in "?" }.joined(separator: ", ")))")
                arguments += StatementArguments(states)
            }
            if let site = query.siteTrip {
                conditions.append("site_trip = ?")
                arguments += [site]
            }
            if let before = query.before {
                conditions.append("sequence < ?")
                arguments += [before]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [query.limit]
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.commandColumns) FROM commands \(filter) ORDER BY sequence DESC LIMIT ?
                """, arguments: arguments)
            return try rows.map { try Self.command($0, in: db) }
        }
    }

    public func pendingCommands(of serial: Serial, at now: Date) async throws -> [Command] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.commandColumns) FROM commands
                WHERE serial = ? AND state IN \(Self.openStates) ORDER BY sequence
                """, arguments: [serial.rawValue])
            return try rows.map { try Self.command($0, in: db) }.filter { $0.isPending(at: now) }
        }
    }

    public func applyCommandEvent(id: String, _ event: CommandLifecycle.Event, at now: Date) async throws
        -> (outcome: CommandLifecycle.Outcome, command: Command)?
    {
        try await pool.write { db in
            guard var command = try Self.command(id: id, in: db) else { return nil }
            let outcome = try Self.apply(event, to: &command, at: now, in: db)
            return (outcome, command)
        }
    }

    public func expireCommands(at now: Date) async throws -> [Command] {
        try await pool.write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.commandColumns) FROM commands
                WHERE state IN ('awaiting_approval', 'queued', 'sent') AND expires_at <= ? ORDER BY sequence
                """, arguments: [now.unixSeconds])
            var expired: [Command] = []
            for row in rows {
                var command = try Self.command(row, in: db)
                if case .changed = try Self.apply(.expired, to: &command, at: now, in: db) { expired.append(command) }
            }
            return expired
        }
    }

    public func devicesWithCommandChanges(since: Date) async throws -> (serials: Set<Serial>, newest: Date?) {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT serial, updated_at FROM commands WHERE updated_at > ?",
                                        arguments: [since.unixSeconds])
            var serials: Set<Serial> = []
            var newest: Double?
            for row in rows {
                if let serial = Serial(row["serial"] as String) { serials.insert(serial) }
                let updated: Double = row["updated_at"]
                newest = max(newest ?? updated, updated)
            }
            return (serials, newest.map(Date.init(timeIntervalSince1970:)))
        }
    }

    // MARK: Rows

    /// Applies `event` and writes what changed: the new transitions and the row's current state.
    private static func apply(_ event: CommandLifecycle.Event, to command: inout Command, at now: Date, in db: Database) throws
        -> CommandLifecycle.Outcome
    {
        let before = command.lifecycle.transitions.count
        let outcome = command.lifecycle.apply(event, at: now)
        guard case .changed = outcome else { return outcome }
        let result = command.lifecycle.result
        try db.execute(sql: """
            UPDATE commands SET state = ?, result = ?, breaker = ?, result_reason = ?, updated_at = ? WHERE sequence = ?
            """, arguments: [command.state.rawValue, result?.outcome.rawValue, result?.breaker?.rawValue, result?.reason,
                             now.unixSeconds, command.sequence])
        try appendTransitions(command.lifecycle.transitions, from: before, of: command.sequence, in: db)
        return outcome
    }

    private static func appendTransitions(
        _ transitions: [CommandLifecycle.Transition], from start: Int, of sequence: Int64, in db: Database
    ) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO command_transitions (command_sequence, position, state, at, note) VALUES (?, ?, ?, ?, ?)
            """)
        for (position, transition) in transitions.enumerated().dropFirst(start) {
            try statement.execute(arguments: [sequence, position, transition.state.rawValue, transition.at.unixSeconds, transition.note])
        }
    }

    private static func command(id: String, in db: Database) throws -> Command? {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(commandColumns) FROM commands WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return try command(row, in: db)
    }

    private static func command(_ row: Row, in db: Database) throws -> Command {
        let sequence: Int64 = row["sequence"]
        let transitions = try Row.fetchAll(db, sql: """
            SELECT state, at, note FROM command_transitions WHERE command_sequence = ? ORDER BY position
            """, arguments: [sequence]).map { transition in
            guard let state = CommandLifecycle.State(rawValue: transition["state"]) else {
                throw StoreError(.corrupt, "command \(sequence) has a transition to an unknown state \(transition["state"] as String)")
            }
            return CommandLifecycle.Transition(state: state, at: Date(timeIntervalSince1970: transition["at"]), note: transition["note"])
        }
        guard let serial = Serial(row["serial"] as String), let action = RemoteAction(rawValue: row["action"]),
              !transitions.isEmpty else {
            throw StoreError(.corrupt, "command \(row["id"] as String) has an unreadable serial, action or history")
        }
        let result: CommandReport? = (row["result"] as String?).flatMap(CommandReport.Outcome.init(rawValue:)).map {
            CommandReport($0, breaker: (row["breaker"] as String?).flatMap(CommandReport.BreakerPosition.init(rawValue:)),
                          reason: row["result_reason"])
        }
        return Command(
            id: row["id"], serial: serial, action: action, reason: row["reason"], issuedBy: row["issued_by"],
            issuedByRole: row["issued_by_role"], inspectedBy: row["inspected_by"], siteTrip: row["site_trip"],
            lifecycle: CommandLifecycle(restoring: transitions, result: result,
                                        expiresAt: Date(timeIntervalSince1970: row["expires_at"])),
            sequence: sequence)
    }
}
