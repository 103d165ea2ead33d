import Foundation
import FleetDomain
import GRDB

/// A batch of journaled records grouped by device, with what each device's group implies, computed before
/// the write transaction so the writer holds the lock only for the SQL itself.
///
/// Grouping matters for speed: each device's rows land in the same index pages (telemetry and events by
/// `(serial, …)`, its `latest_measurement` rows, its `devices` row), so a batch dirties each page once
/// instead of once per interleaved record (measured 3–4× cheaper, see design.md). Groups refer to records by
/// index rather than copying them: building the plan is on the hot path too.
struct IngestPlan: Sendable {
    /// Where the newest value of one measurement name is: `records[record]`'s pack, measurement `index`.
    struct Newest: Sendable {
        var name: String
        var time: Double
        var record: Int
        var index: Int
    }

    struct DeviceGroup: Sendable {
        var serial: Serial
        /// Indices of the device's records, in journal order.
        var records: [Int] = []
        /// The newest `receivedAt` (Unix seconds) of its telemetry and events (registrations set `last_seen`
        /// themselves).
        var lastSeen: Double?
        /// The newest measurement of each name in this batch, by measurement time (on a tie the later record
        /// wins), in first-seen order.
        var newest: [Newest] = []
        /// Name → position in `newest`, built only for devices that report unusually many names (a linear
        /// scan with a hint is faster for the usual dozen).
        var newestIndex: [String: Int]?
    }

    let records: [JournaledRecord]
    /// Groups in serial order.
    private(set) var groups: [DeviceGroup]
    var isEmpty: Bool { groups.isEmpty }

    init(_ records: [JournaledRecord]) {
        self.records = records
        var slots: [Serial: Int] = [:]
        var groups: [DeviceGroup] = []
        for (recordIndex, journaled) in records.enumerated() {
            let serial = journaled.record.serial
            let slot: Int
            if let known = slots[serial] {
                slot = known
            } else {
                slot = groups.count
                slots[serial] = slot
                groups.append(DeviceGroup(serial: serial))
            }
            groups[slot].records.append(recordIndex)
            switch journaled.record {
            case .registration:
                break
            case .telemetry(let telemetry):
                groups[slot].seen(at: telemetry.receivedAt.unixSeconds)
                groups[slot].offer(telemetry.pack.measurements, of: recordIndex)
            case .event(let event):
                groups[slot].seen(at: event.receivedAt.unixSeconds)
            case .profileReport(let report):
                groups[slot].seen(at: report.receivedAt.unixSeconds)
            case .commandResult(let result):
                groups[slot].seen(at: result.receivedAt.unixSeconds)
            case .heartbeat(let heartbeat):
                groups[slot].seen(at: heartbeat.receivedAt.unixSeconds)
            }
        }
        groups.sort { $0.serial < $1.serial }
        self.groups = groups
    }

    func measurement(_ newest: Newest) -> Measurement {
        guard case .telemetry(let telemetry) = records[newest.record].record else {
            preconditionFailure("IngestPlan.Newest points at a record that is not telemetry")
        }
        return telemetry.pack.measurements[newest.index]
    }
}

extension IngestPlan.DeviceGroup {
    private static let linearSearchLimit = 32

    mutating func seen(at time: Double) {
        if let lastSeen, lastSeen >= time { return }
        lastSeen = time
    }

    mutating func offer(_ measurements: [Measurement], of record: Int) {
        for (index, measurement) in measurements.enumerated() {
            let candidate = IngestPlan.Newest(name: measurement.name, time: measurement.time, record: record,
                                              index: index)
            if let position = position(of: measurement.name, hint: index) {
                if newest[position].time <= measurement.time { newest[position] = candidate }
            } else {
                newest.append(candidate)
                if newestIndex != nil {
                    newestIndex![measurement.name] = newest.count - 1
                } else if newest.count > Self.linearSearchLimit {
                    newestIndex = Dictionary(uniqueKeysWithValues: newest.enumerated().map { ($1.name, $0) })
                }
            }
        }
    }

    /// Packs of one device usually list the same names in the same order, so position `hint` is tried first.
    private func position(of name: String, hint: Int) -> Int? {
        if let newestIndex { return newestIndex[name] }
        if hint < newest.count, newest[hint].name == name { return hint }
        return newest.firstIndex { $0.name == name }
    }
}

/// The SQL of `apply`, run inside one write transaction.
enum Ingest {
    static func checkpoint(_ db: Database) throws -> JournalPosition? {
        let statement = try db.cachedStatement(sql: """
            SELECT journal_segment, journal_offset FROM journal_checkpoint WHERE id = 1
            """)
        guard let row = try Row.fetchOne(statement) else { return nil }
        return JournalPosition(columnSegment: row[0], columnOffset: row[1])
    }

    /// Applies `records` (already grouped as `plan`) unless the checkpoint says they are in, then moves the
    /// checkpoint to `position` (never backwards).
    static func apply(_ plan: IngestPlan, through position: JournalPosition, in db: Database) throws {
        let stored = try checkpoint(db)
        var plan = plan
        if let stored, plan.records.contains(where: { $0.position <= stored }) {
            // A replay after a crash: what is at or before the checkpoint is already in.
            plan = IngestPlan(plan.records.filter { $0.position > stored })
        }
        if !plan.isEmpty {
            try write(plan, in: db)
        }
        let reached = stored.map { max($0, position) } ?? position
        if reached != stored {
            try db.cachedStatement(sql: """
                INSERT INTO journal_checkpoint (id, journal_segment, journal_offset) VALUES (1, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    journal_segment = excluded.journal_segment, journal_offset = excluded.journal_offset
                """).execute(arguments: [reached.columnSegment, reached.columnOffset])
        }
    }

    private static func write(_ plan: IngestPlan, in db: Database) throws {
        let insertPack = try TelemetryInsert(db)
        let insertEvent = try db.cachedStatement(sql: """
            INSERT INTO events (serial, event_id, type, at, value, phase, action, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (serial, event_id) DO NOTHING
            """)
        let upsertLatest = try db.cachedStatement(sql: """
            INSERT INTO latest_measurement (serial, name, unit, value, vs, vb, sum, time)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (serial, name) DO UPDATE SET
                unit = excluded.unit, value = excluded.value, vs = excluded.vs, vb = excluded.vb,
                sum = excluded.sum, time = excluded.time
            WHERE excluded.time >= latest_measurement.time
            """)
        let queueNotice = try NotificationOutbox.statement(db)
        let bumpLastSeen = try db.cachedStatement(sql: """
            UPDATE devices SET last_seen = ? WHERE serial = ? AND (last_seen IS NULL OR last_seen < ?)
            """)

        for group in plan.groups {
            let serial = group.serial.rawValue
            for recordIndex in group.records {
                let journaled = plan.records[recordIndex]
                switch journaled.record {
                case .telemetry(let telemetry):
                    try insertPack.insert(serial: serial, position: journaled.position,
                                          receivedAt: telemetry.receivedAt.unixSeconds, body: telemetry.body, in: db)
                case .event(let event):
                    let report = event.report
                    try insertEvent.execute(arguments: [
                        serial, report.id, report.type.rawValue, report.at, report.value, report.phase,
                        report.action?.rawValue, event.receivedAt.unixSeconds,
                    ])
                    // A repeat changed nothing above; its notice is the same row and changes nothing either.
                    try NotificationOutbox.queueTrip(event, with: queueNotice)
                case .registration(let registration):
                    try register(registration, in: db)
                case .profileReport(let report):
                    try ProfileReports.record(report, in: db)
                case .commandResult, .heartbeat:
                    // Contact only (`last_seen`, above); a command result reaches its command through
                    // `CommandTransitions` before the batch (`JournaledCommandResults`).
                    break
                }
            }
            for newest in group.newest {
                let m = plan.measurement(newest)
                try upsertLatest.execute(arguments: [
                    serial, m.name, m.unit, m.value, m.stringValue, m.boolValue, m.sum, m.time,
                ])
            }
            if let lastSeen = group.lastSeen {
                try bumpLastSeen.execute(arguments: [lastSeen, serial, lastSeen])
            }
        }
    }

    /// Upserts the device a registration describes. An unknown serial is inserted (a factory certificate of
    /// a certified model: `unassigned`); a known one takes what the device now says about itself, keeps its
    /// first `registered_at`, and keeps a revoked or decommissioned state: a registration recorded before an
    /// operator barred the device, replayed after, must not lift the bar. Likewise it never moves an `active`
    /// device back: a registration journaled as `unassigned` just before an installer activated the device
    /// may reach the store after the installation did.
    private static func register(_ registration: RegistrationRecord, in db: Database) throws {
        let request = registration.request
        let at = registration.receivedAt.unixSeconds
        try db.cachedStatement(sql: """
            INSERT INTO devices (serial, model, state, firmware, hardware, capabilities, lifetime, heartbeat_s,
                                 registered_at, last_seen, profile_id, profile_version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (serial) DO UPDATE SET
                model = excluded.model,
                state = CASE WHEN devices.state IN ('revoked', 'decommissioned', 'active') THEN devices.state
                             ELSE excluded.state END,
                firmware = excluded.firmware,
                hardware = coalesce(excluded.hardware, devices.hardware),
                capabilities = excluded.capabilities,
                lifetime = excluded.lifetime,
                -- The profile the device says it runs; a registration that names none keeps the last known.
                profile_id = coalesce(excluded.profile_id, devices.profile_id),
                profile_version = CASE WHEN excluded.profile_id IS NULL THEN devices.profile_version
                                       ELSE excluded.profile_version END,
                registered_at = coalesce(devices.registered_at, excluded.registered_at),
                last_seen = CASE WHEN devices.last_seen IS NULL OR devices.last_seen < excluded.last_seen
                                 THEN excluded.last_seen ELSE devices.last_seen END
            """).execute(arguments: [
                registration.serial.rawValue, request.model, registration.state.rawValue, request.firmware,
                request.hardware, try Columns.capabilitiesJSON(request.capabilities), request.lifetime,
                Registration.defaultHeartbeat, at, at, request.profile?.id, request.profile?.version,
            ])
    }
}
