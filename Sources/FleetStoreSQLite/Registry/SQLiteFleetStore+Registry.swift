import FleetDomain
import Foundation
import GRDB

// ModelStore, SiteStore and token revocation on SQLite.
extension SQLiteFleetStore {
    public func insertModel(_ model: CertifiedModel) async throws {
        let arguments = try Columns.modelArguments(model)
        let inserted = try await pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO certified_models (\(Columns.modelList)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """).execute(arguments: arguments)
            return db.changesCount == 1
        }
        guard inserted else { throw StoreError(.duplicate, "model \(model.code) already exists") }
    }

    public func model(_ code: String) async throws -> CertifiedModel? {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.modelList) FROM certified_models WHERE code = ?")
            return try Row.fetchOne(statement, arguments: [code]).map(Columns.model)
        }
    }

    public func models() async throws -> [CertifiedModel] {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.modelList) FROM certified_models ORDER BY code")
            return try Row.fetchAll(statement).map(Columns.model)
        }
    }

    public func insertSite(_ site: Site) async throws {
        let inserted = try await pool.write { db in
            try db.cachedStatement(sql: """
                INSERT INTO sites (\(Columns.siteList)) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """).execute(arguments: Columns.siteArguments(site))
            return db.changesCount == 1
        }
        guard inserted else { throw StoreError(.duplicate, "site \(site.id) already exists") }
    }

    public func site(_ id: String) async throws -> Site? {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.siteList) FROM sites WHERE id = ?")
            return try Row.fetchOne(statement, arguments: [id]).map(Columns.site)
        }
    }

    /// One cached statement per id inside one read: as cheap as an `IN` list and never builds SQL from values.
    public func sites(ids: Set<String>) async throws -> [Site] {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.siteList) FROM sites WHERE id = ?")
            return try ids.sorted().compactMap { try Row.fetchOne(statement, arguments: [$0]).map(Columns.site) }
        }
    }

    public func sites(county: String?) async throws -> [Site] {
        try await pool.read { db in
            if let county {
                let statement = try db.cachedStatement(sql: "SELECT \(Columns.siteList) FROM sites WHERE county = ? ORDER BY id")
                return try Row.fetchAll(statement, arguments: [county]).map(Columns.site)
            }
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.siteList) FROM sites ORDER BY id")
            return try Row.fetchAll(statement).map(Columns.site)
        }
    }

    public func revokeToken(id: String, at: Date) async throws -> StoredToken? {
        try await pool.write { db in
            try db.cachedStatement(sql: "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .execute(arguments: [at.unixSeconds, id])
            let statement = try db.cachedStatement(sql: "SELECT \(Columns.tokenList) FROM tokens WHERE id = ?")
            return try Row.fetchOne(statement, arguments: [id]).map(Columns.token)
        }
    }
}
