import FleetDomain
import Foundation
import GRDB

extension DatabaseMigrator {
    mutating func registerPresharedKeyMigrations() {
        registerMigration("create device_psk") { db in
            try db.execute(sql: """
                CREATE TABLE device_psk (
                    serial TEXT NOT NULL PRIMARY KEY,
                    key    BLOB NOT NULL,
                    set_at REAL NOT NULL
                ) WITHOUT ROWID;
                """)
        }
    }
}

extension SQLiteFleetStore: PresharedKeyStore {
    public func setPresharedKey(_ key: [UInt8], for serial: Serial, at now: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO device_psk (serial, key, set_at) VALUES (?, ?, ?) ON CONFLICT(serial) DO UPDATE SET key = excluded.key, set_at = excluded.set_at",
                arguments: [serial.rawValue, Data(key), now.timeIntervalSince1970])
        }
    }

    public func presharedKeys() async throws -> [Serial: [UInt8]] {
        try await pool.read { db in
            var keys: [Serial: [UInt8]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT serial, key FROM device_psk") {
                if let serial = Serial(row["serial"]) { keys[serial] = [UInt8](row["key"] as Data) }
            }
            return keys
        }
    }
}
