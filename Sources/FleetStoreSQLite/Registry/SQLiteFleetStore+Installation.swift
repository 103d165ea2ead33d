import FleetDomain
import Foundation
import GRDB

// InstallationStore on SQLite. Every multi-row change is one write transaction; a thrown error rolls it back.
extension SQLiteFleetStore {
    public func recordInstallation(_ installation: Installation, claimID: String?, expectingSite: String?) async throws -> Device {
        try await pool.write { db in
            let serial = installation.serial.rawValue
            let site = try String.fetchOne(db, sql: "SELECT site_id FROM device_sites WHERE serial = ?", arguments: [serial])
            if site != expectingSite {
                throw StoreError(.conflict, "device \(serial) changed site meanwhile (now \(site ?? "none")); try again")
            }
            try db.cachedStatement(sql: """
                UPDATE devices SET state = 'active' WHERE serial = ? AND state NOT IN ('revoked', 'decommissioned')
                """).execute(arguments: [serial])
            if db.changesCount == 0 {
                let state = try String.fetchOne(db, sql: "SELECT state FROM devices WHERE serial = ?", arguments: [serial])
                guard let state else { throw StoreError(.notFound, "no device \(serial)") }
                throw StoreError(.conflict, "device \(serial) is \(state) and cannot be installed")
            }
            try Self.assign(installation.assignment, in: db)
            try db.cachedStatement(sql: "INSERT INTO installations (\(Columns.installationList)) VALUES (\(Columns.installationPlaceholders))")
                .execute(arguments: Columns.installationArguments(installation))
            if let claimID {
                // Conditional, so two redemptions racing for one code cannot both succeed.
                try db.cachedStatement(sql: """
                    UPDATE claim_codes SET redeemed_at = ?, redeemed_serial = ?
                    WHERE id = ? AND redeemed_at IS NULL AND expires_at > ?
                    """).execute(arguments: [installation.at.unixSeconds, serial, claimID, installation.at.unixSeconds])
                if db.changesCount == 0 { throw StoreError(.conflict, "claim code \(claimID) was already used or has expired") }
            }
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.deviceList) FROM devices WHERE serial = ?")
            guard let device = try Row.fetchOne(statement, arguments: [serial]).map(Columns.device) else {
                throw StoreError(.notFound, "no device \(serial)")
            }
            return device
        }
    }

    /// Moves the device to its new circuit; refuses a circuit another device holds.
    static func assign(_ assignment: Assignment, in db: Database) throws {
        let holder = try db.cachedStatement(sql: "SELECT serial FROM device_sites WHERE site_id = ? AND circuit = ?")
        if let other = try String.fetchOne(holder, arguments: [assignment.siteID, assignment.circuit]),
           other != assignment.serial.rawValue {
            throw StoreError(.conflict, "circuit \(assignment.circuit) of site \(assignment.siteID) is held by \(other)")
        }
        try db.cachedStatement(sql: "DELETE FROM device_sites WHERE serial = ?").execute(arguments: [assignment.serial.rawValue])
        try db.cachedStatement(sql: "INSERT INTO device_sites (serial, site_id, circuit) VALUES (?, ?, ?)")
            .execute(arguments: [assignment.serial.rawValue, assignment.siteID, assignment.circuit])
    }

    public func assignment(of serial: Serial) async throws -> Assignment? {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT serial, site_id, circuit FROM device_sites WHERE serial = ?")
            return try Row.fetchOne(statement, arguments: [serial.rawValue]).map(Columns.assignment)
        }
    }

    public func assignments(serials: [Serial], sites: Set<String>) async throws -> [Assignment] {
        try await pool.read { db in
            var found: [Serial: Assignment] = [:]
            let bySerial = try db.cachedStatement(sql: "SELECT serial, site_id, circuit FROM device_sites WHERE serial = ?")
            for serial in serials {
                if let row = try Row.fetchOne(bySerial, arguments: [serial.rawValue]) {
                    let assignment = try Columns.assignment(row)
                    found[assignment.serial] = assignment
                }
            }
            let bySite = try db.cachedStatement(sql: "SELECT serial, site_id, circuit FROM device_sites WHERE site_id = ?")
            for site in sites.sorted() {
                for row in try Row.fetchAll(bySite, arguments: [site]) {
                    let assignment = try Columns.assignment(row)
                    found[assignment.serial] = assignment
                }
            }
            return found.values.sorted { $0.serial < $1.serial }
        }
    }

    public func installations(of serial: Serial) async throws -> [Installation] {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT \(Columns.installationList) FROM installations WHERE serial = ? ORDER BY at DESC, rowid DESC
                """)
            return try Row.fetchAll(statement, arguments: [serial.rawValue]).map(Columns.installation)
        }
    }

    public func devices(serials: [Serial]) async throws -> [Device] {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.deviceList) FROM devices WHERE serial = ?")
            return try serials.compactMap { try Row.fetchOne(statement, arguments: [$0.rawValue]).map(Columns.device) }
        }
    }

    public func importDevices(_ items: [ImportedDevice]) async throws {
        try await pool.write { db in
            let insertDevice = try db.cachedStatement(sql: """
                INSERT INTO devices (\(Columns.deviceList)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (serial) DO NOTHING
                """)
            let insertInstallation = try db.cachedStatement(sql: """
                INSERT INTO installations (\(Columns.installationList)) VALUES (\(Columns.installationPlaceholders))
                """)
            for item in items {
                let device = item.device
                try insertDevice.execute(arguments: [
                    device.serial.rawValue, device.model, device.state.rawValue, device.firmware, device.hardware,
                    try Columns.capabilitiesJSON(device.capabilities), device.lifetime, device.heartbeatSeconds,
                    device.profileID, device.profileVersion, device.provisionedAt?.unixSeconds,
                    device.registeredAt?.unixSeconds, device.lastSeen?.unixSeconds,
                ])
                if db.changesCount == 0 { throw StoreError(.duplicate, "device \(device.serial) already exists") }
                try Self.assign(item.installation.assignment, in: db)
                try insertInstallation.execute(arguments: Columns.installationArguments(item.installation))
            }
        }
    }

    public func insertClaim(_ claim: ClaimCode) async throws {
        try await pool.write { db in
            try db.cachedStatement(sql: "INSERT INTO claim_codes (\(Columns.claimList)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(arguments: [
                    claim.id, claim.hash, claim.siteID, claim.createdBy, claim.createdAt.unixSeconds,
                    claim.expiresAt.unixSeconds, claim.redeemedAt?.unixSeconds, claim.redeemedSerial?.rawValue,
                ])
        }
    }

    public func claim(hash: String) async throws -> ClaimCode? {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.claimList) FROM claim_codes WHERE hash = ?")
            return try Row.fetchOne(statement, arguments: [hash]).map(Columns.claim)
        }
    }
}
