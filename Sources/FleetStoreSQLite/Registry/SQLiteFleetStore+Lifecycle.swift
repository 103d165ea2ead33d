import FleetDomain
import Foundation
import GRDB

// LifecycleStore on SQLite.
extension SQLiteFleetStore {
    public func retire(_ retirement: Retirement) async throws -> Device? {
        try await pool.write { db in
            let serial = retirement.serial.rawValue
            try db.cachedStatement(sql: "UPDATE devices SET state = ? WHERE serial = ?")
                .execute(arguments: [retirement.state.rawValue, serial])
            guard db.changesCount == 1 else { return nil }
            try db.cachedStatement(sql: "INSERT INTO retirements (serial, state, reason, by, at) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [serial, retirement.state.rawValue, retirement.reason, retirement.by, retirement.at.unixSeconds])
            if retirement.state == .decommissioned {
                // The circuit is free for a replacement; the installations table keeps where it was.
                try db.cachedStatement(sql: "DELETE FROM device_sites WHERE serial = ?").execute(arguments: [serial])
            }
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.deviceList) FROM devices WHERE serial = ?")
            return try Row.fetchOne(statement, arguments: [serial]).map(Columns.device)
        }
    }

    public func retirements(of serial: Serial) async throws -> [Retirement] {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT serial, state, reason, by, at FROM retirements WHERE serial = ? ORDER BY at DESC, id DESC
                """)
            return try Row.fetchAll(statement, arguments: [serial.rawValue]).map(Columns.retirement)
        }
    }

    public func insertBan(_ ban: Ban) async throws {
        let inserted = try await pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO bans (kind, subject, name, reason, by, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """).execute(arguments: [ban.kind.rawValue, ban.subject, ban.name, ban.reason, ban.by, ban.at.unixSeconds])
            return db.changesCount == 1
        }
        guard inserted else { throw StoreError(.duplicate, "\(ban.kind.rawValue) \(ban.subject) is already banned") }
    }

    public func bans() async throws -> [Ban] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, subject, reason, by, at, name FROM bans ORDER BY kind, subject").map(Columns.ban)
        }
    }
}
