import Foundation
import DeviceWire
import FleetDomain
import GRDB

/// The fleet store on an embedded SQLite database (GRDB `DatabasePool`, WAL: one writer, concurrent readers).
public final class SQLiteFleetStore: FleetStore, Sendable {
    /// Internal so the store's other files (`SQLiteFleetStore+….swift`) share it.
    let pool: DatabasePool
    /// WAL pages after which a commit checkpoints (see `init`).
    static let walAutocheckpointPages = 10_000

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "BreakerFleet"
        configuration.prepareDatabase { db in
            // Durability: `synchronous = NORMAL` (GRDB's default for a pool, stated here because it is a
            // decision). In WAL mode a committed transaction survives a crash of the process; only a power
            // loss or OS crash can lose the last commits. That is enough because the store is not where
            // durability of device messages comes from: the server acknowledges a device only after its
            // message is in the append-only ingest journal, and the store is fed from that journal in
            // batches, each committed together with the journal position it reaches. Commits lost to a
            // power cut are replayed from the journal at start. FULL would add an fsync (~200 µs here) to
            // every batch for no guarantee the journal does not already give.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Ingest commits every ~100 ms, each rewriting the same hot pages (each device's index leaf, the
            // telemetry table's last pages); a checkpoint copies each page once however often the WAL holds it,
            // and costs two fsyncs. SQLite's default (1 000 pages, ~4 MB) checkpointed about every 200 ms
            // under the ingest bench; 10 000 pages (~40 MB of WAL) cut the store writer's WAL and
            // checkpoint writes by about a third and its fsyncs by ten.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.walAutocheckpointPages)")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Schema.migrator.migrate(pool)
    }

    /// Closes the database connections. Optional (they close when the store is released); later calls fail.
    public func close() throws {
        try pool.close()
    }

    // MARK: DeviceStore

    public func insertDevice(_ device: Device) async throws {
        let inserted = try await pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO devices (\(Columns.deviceList))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (serial) DO NOTHING
                """).execute(arguments: [
                    device.serial.rawValue, device.model, device.state.rawValue, device.firmware,
                    device.hardware, try Columns.capabilitiesJSON(device.capabilities), device.lifetime,
                    device.heartbeatSeconds, device.profileID, device.profileVersion,
                    device.provisionedAt?.unixSeconds, device.registeredAt?.unixSeconds,
                    device.lastSeen?.unixSeconds,
                ])
            return db.changesCount == 1
        }
        guard inserted else { throw StoreError(.duplicate, "device \(device.serial) already exists") }
    }

    public func device(_ serial: Serial) async throws -> Device? {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.deviceList) FROM devices WHERE serial = ?")
            return try Row.fetchOne(statement, arguments: [serial.rawValue]).map(Columns.device)
        }
    }

    /// Devices in serial order, `query.limit` at a time after `query.after`, of one stored state if
    /// `query.state` is set. Only stored states match: `offline` and `expired` are derived from `last_seen`
    /// (`Device.effectiveState(at:)`), never stored.
    public func devices(_ query: DeviceQuery) async throws -> [Device] {
        guard query.limit > 0 else { return [] }
        return try await pool.read { db in
            // Four fixed statements rather than `? IS NULL OR …`, so each can use its index.
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let state = query.state {
                conditions.append("state = ?")
                arguments += [state.rawValue]
            }
            if let after = query.after {
                conditions.append("serial > ?")
                arguments += [after.rawValue]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [query.limit]
            let statement = try db.cachedStatement(sql: """
                SELECT \(Columns.deviceList) FROM devices \(filter) ORDER BY serial LIMIT ?
                """)
            return try Row.fetchAll(statement, arguments: arguments).map(Columns.device)
        }
    }

    public func allDevices() async throws -> [Device] {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.deviceList) FROM devices ORDER BY serial")
            return try Row.fetchAll(statement).map(Columns.device)
        }
    }

    // MARK: IngestStore

    /// Applies a batch in one write transaction: packs, events (a repeated (serial, id) is ignored),
    /// registrations (upserts), `last_seen` (once per device, the newest time), the newest value of each
    /// measurement name, and the checkpoint. Records at or before the stored checkpoint are skipped, and
    /// the checkpoint never moves backwards.
    public func apply(_ records: [JournaledRecord], through position: JournalPosition) async throws {
        let plan = IngestPlan(records)
        do {
            try await pool.write { db in
                try Ingest.apply(plan, through: position, in: db)
            }
        } catch let error as DatabaseError where Self.refusesContent(error) {
            // The content, not the database, is the problem: retrying cannot help (see `quarantine`).
            throw StoreError(.recordRefused, "\(error.resultCode): \(error.message ?? "refused")")
        }
    }

    /// Errors about what is written (a constraint, a trigger, a type or size SQLite refuses), as opposed to
    /// failing to write at all (full disk, I/O, a locked file).
    static func refusesContent(_ error: DatabaseError) -> Bool {
        [.SQLITE_CONSTRAINT, .SQLITE_MISMATCH, .SQLITE_TOOBIG, .SQLITE_RANGE].contains(error.resultCode)
    }

    public func appliedPosition() async throws -> JournalPosition? {
        try await pool.read { db in try Ingest.checkpoint(db) }
    }

    /// The newest `limit` event ids of each device (by arrival), newest first.
    public func recentEventIDs(perDevice limit: Int) async throws -> [Serial: [String]] {
        guard limit > 0 else { return [:] }
        let rows: [(String, String)] = try await pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT serial, event_id FROM (
                    SELECT serial, event_id,
                           ROW_NUMBER() OVER (PARTITION BY serial ORDER BY received_at DESC, id DESC) AS rank
                    FROM events
                )
                WHERE rank <= ?
                ORDER BY serial, rank
                """)
            return try Row.fetchAll(statement, arguments: [limit]).map { ($0[0], $0[1]) }
        }
        var result: [Serial: [String]] = [:]
        for (serialText, id) in rows {
            result[try Columns.serial(serialText), default: []].append(id)
        }
        return result
    }

    // MARK: HistoryStore

    public func latestMeasurements(_ serial: Serial) async throws -> [FleetDomain.Measurement] {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Columns.measurementList) FROM latest_measurement WHERE serial = ? ORDER BY name
                """)
            return try Row.fetchAll(statement, arguments: [serial.rawValue]).map(Columns.measurement)
        }
    }

    /// Packs newest first, each resolved from the body the device sent with the rules it was accepted
    /// under (`SenML.parse`, relative times against the time it was received).
    public func telemetry(_ serial: Serial, limit: Int) async throws -> [StoredTelemetry] {
        guard limit > 0 else { return [] }
        let packs: [(receivedAt: Double, body: Data)] = try await pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT received_at, body FROM telemetry WHERE serial = ?
                ORDER BY received_at DESC, id DESC LIMIT ?
                """)
            return try Row.fetchAll(statement, arguments: [serial.rawValue, limit]).map { ($0[0], $0[1]) }
        }
        // Parsed outside the read so a reader connection is held only for the query.
        return try packs.map { pack in
            let resolved: TelemetryPack
            do {
                resolved = try pack.body.withUnsafeBytes { body in
                    try SenML.parse(body, serial: serial, now: pack.receivedAt)
                }
            } catch {
                throw StoreError(.corrupt, "stored telemetry of \(serial) received at \(pack.receivedAt) does not parse: \(error)")
            }
            return StoredTelemetry(receivedAt: Date(timeIntervalSince1970: pack.receivedAt),
                                   measurements: resolved.measurements)
        }
    }

    public func events(_ serial: Serial, limit: Int) async throws -> [StoredEvent] {
        guard limit > 0 else { return [] }
        return try await pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Columns.eventList) FROM events WHERE serial = ?
                ORDER BY received_at DESC, id DESC LIMIT ?
                """)
            return try Row.fetchAll(statement, arguments: [serial.rawValue, limit]).map(Columns.event)
        }
    }

    // MARK: TokenStore

    public func insertToken(_ token: StoredToken) async throws {
        let inserted = try await pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO tokens (\(Columns.tokenList)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """).execute(arguments: [
                    token.id, token.name, token.role.rawValue, token.hash, token.createdAt.unixSeconds,
                    token.expiresAt?.unixSeconds, token.revokedAt?.unixSeconds, try Columns.capabilitiesJSON(token.counties),
                ])
            return db.changesCount == 1
        }
        guard inserted else {
            throw StoreError(.duplicate, "token \(token.id) already exists (same id or same hash)")
        }
    }

    public func token(hash: String) async throws -> StoredToken? {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.tokenList) FROM tokens WHERE hash = ?")
            return try Row.fetchOne(statement, arguments: [hash]).map(Columns.token)
        }
    }

    public func tokens() async throws -> [StoredToken] {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.tokenList) FROM tokens ORDER BY created_at, id")
            return try Row.fetchAll(statement).map(Columns.token)
        }
    }
}
