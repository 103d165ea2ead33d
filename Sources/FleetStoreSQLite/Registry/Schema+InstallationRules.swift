import GRDB

/// Issue 10's registry columns: installations record moves (from which site, and why), and a certified
/// model carries the length of the pre-shared keys its PSK-only devices get.
extension DatabaseMigrator {
    mutating func registerInstallationRuleMigrations() {
        registerMigration("add installations.moved_from and reason") { db in
            try db.execute(sql: """
                -- The site an active device was moved from (NULL unless the installation is a move), and why.
                ALTER TABLE installations ADD COLUMN moved_from TEXT;
                ALTER TABLE installations ADD COLUMN reason TEXT;
                """)
        }

        registerMigration("add certified_models.psk_key_bytes") { db in
            // 16 bytes suits tinydtls devices (their limit); models registered before get that default too.
            try db.execute(sql: "ALTER TABLE certified_models ADD COLUMN psk_key_bytes INTEGER NOT NULL DEFAULT 16")
        }
    }
}
