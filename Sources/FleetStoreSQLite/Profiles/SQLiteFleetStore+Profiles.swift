import DeviceWire
import FleetDomain
import Foundation
import GRDB

extension SQLiteFleetStore: ProfileStore {
    public func saveProfile(_ profile: ThresholdProfile, source: String, at: Date) async throws -> ProfileSaveOutcome {
        var unversioned = profile
        unversioned.version = nil
        let body = Data(unversioned.jsonBytes())
        return try await pool.write { db in
            if let latest = try Row.fetchOne(db, sql: """
                SELECT version, body, created_at, source FROM profile_versions
                WHERE profile_id = ? ORDER BY version DESC LIMIT 1
                """, arguments: [profile.id]), (latest["body"] as Data) == body {
                return .unchanged(try Columns.storedProfile(latest))
            }
            try db.execute(
                sql: "INSERT INTO profile_versions (profile_id, body, created_at, source) VALUES (?, ?, ?, ?)",
                arguments: [profile.id, body, at.unixSeconds, source])
            var stored = profile
            stored.version = Int(db.lastInsertedRowID)
            return .created(StoredProfile(profile: stored, createdAt: at, source: source))
        }
    }

    public func latestProfiles() async throws -> [StoredProfile] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT version, body, created_at, source FROM profile_versions
                WHERE version IN (SELECT max(version) FROM profile_versions GROUP BY profile_id)
                ORDER BY profile_id
                """).map(Columns.storedProfile)
        }
    }

    public func profile(_ id: String, version: Int?) async throws -> StoredProfile? {
        try await pool.read { db in
            let row = if let version {
                try Row.fetchOne(db, sql: """
                    SELECT version, body, created_at, source FROM profile_versions WHERE profile_id = ? AND version = ?
                    """, arguments: [id, version])
            } else {
                try Row.fetchOne(db, sql: """
                    SELECT version, body, created_at, source FROM profile_versions
                    WHERE profile_id = ? ORDER BY version DESC LIMIT 1
                    """, arguments: [id])
            }
            return try row.map(Columns.storedProfile)
        }
    }

    public func profileVersions(_ id: String) async throws -> [StoredProfile] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT version, body, created_at, source FROM profile_versions WHERE profile_id = ? ORDER BY version
                """, arguments: [id]).map(Columns.storedProfile)
        }
    }

    public func setProfileAssignment(_ assignment: ProfileAssignment) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO profile_assignments (target_kind, target, profile_id, assigned_at, assigned_by)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (target_kind, target) DO UPDATE SET
                    profile_id = excluded.profile_id, assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by
                """, arguments: [
                    assignment.target.kind.rawValue, assignment.target.key, assignment.profileID,
                    assignment.assignedAt.unixSeconds, assignment.assignedBy,
                ])
        }
    }

    public func removeProfileAssignment(_ target: ProfileTarget) async throws -> ProfileAssignment? {
        try await pool.write { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT target_kind, target, profile_id, assigned_at, assigned_by FROM profile_assignments
                WHERE target_kind = ? AND target = ?
                """, arguments: [target.kind.rawValue, target.key])
            guard let row else { return nil }
            try db.execute(sql: "DELETE FROM profile_assignments WHERE target_kind = ? AND target = ?",
                           arguments: [target.kind.rawValue, target.key])
            return try Columns.profileAssignment(row)
        }
    }

    public func profileAssignments() async throws -> [ProfileAssignment] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT target_kind, target, profile_id, assigned_at, assigned_by FROM profile_assignments
                ORDER BY target_kind, target
                """).map(Columns.profileAssignment)
        }
    }

    public func profileFacts() async throws -> [ProfileDeviceFacts] {
        try await pool.read { db in
            var parsed: [String: [String]] = [:]
            return try Row.fetchAll(db, sql: """
                SELECT d.serial, d.model, d.state, d.capabilities, d.registered_at,
                       s.id AS site_id, s.category, s.county, m.capabilities AS model_capabilities
                FROM devices d
                LEFT JOIN device_sites ds ON ds.serial = d.serial
                LEFT JOIN sites s ON s.id = ds.site_id
                LEFT JOIN certified_models m ON m.code = d.model
                ORDER BY d.serial
                """).map { row in try Columns.profileFacts(row, parsed: &parsed) }
        }
    }

    public func deviceProfileStates() async throws -> [DeviceProfileState] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "\(Columns.deviceProfileStateSelect) ORDER BY p.serial").map(Columns.deviceProfileState)
        }
    }

    public func deviceProfileState(_ serial: Serial) async throws -> DeviceProfileState? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "\(Columns.deviceProfileStateSelect) WHERE p.serial = ?", arguments: [serial.rawValue])
                .map(Columns.deviceProfileState)
        }
    }

    public func updateProfileResolutions(_ changes: [Serial: ProfileResolution], at: Date) async throws {
        try await pool.write { db in
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO device_profiles (serial, desired_id, desired_version, desired_via, desired_heartbeat_s,
                                             desired_since, refusals)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (serial) DO UPDATE SET
                    desired_since = CASE WHEN desired_id IS excluded.desired_id
                                          AND desired_version IS excluded.desired_version
                                         THEN desired_since ELSE excluded.desired_since END,
                    desired_id = excluded.desired_id, desired_version = excluded.desired_version,
                    desired_via = excluded.desired_via, desired_heartbeat_s = excluded.desired_heartbeat_s,
                    refusals = excluded.refusals
                """)
            // Presence follows the profile: a device is offline after 3 of *its* heartbeats.
            let heartbeat = try db.cachedStatement(sql: "UPDATE devices SET heartbeat_s = ? WHERE serial = ?")
            for (serial, resolution) in changes {
                let desired = resolution.desired
                try upsert.execute(arguments: [
                    serial.rawValue, desired?.profileID, desired?.version, desired?.via?.rawValue,
                    desired?.heartbeatSeconds, at.unixSeconds, try Columns.json(resolution.refusals),
                ])
                if let desired { try heartbeat.execute(arguments: [desired.heartbeatSeconds, serial.rawValue]) }
            }
        }
    }
}

/// Device profile reports, applied inside an ingest batch's transaction.
enum ProfileReports {
    static func record(_ record: ProfileReportRecord, in db: Database) throws {
        let report = record.report
        try db.cachedStatement(sql: """
            INSERT INTO device_profiles (serial, reported_id, reported_version, reported_result, reported_reason, reported_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (serial) DO UPDATE SET
                reported_id = excluded.reported_id, reported_version = excluded.reported_version,
                reported_result = excluded.reported_result, reported_reason = excluded.reported_reason,
                reported_at = excluded.reported_at
            """).execute(arguments: [
                record.serial.rawValue, report.id, report.version, report.result.rawValue, report.reason,
                record.receivedAt.unixSeconds,
            ])
    }
}
