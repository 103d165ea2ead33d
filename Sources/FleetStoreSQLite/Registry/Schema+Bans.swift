import GRDB

extension DatabaseMigrator {
    /// CA bans by fingerprint (issue 10). A CA's subject CN proves nothing, so bans made by CN become kind
    /// `ca-name`: still listed with who, when and why (the CN moves to `name` as well), but they match no
    /// certificate any more; an operator bans the CA again by its fingerprint (`ban ca --file CA.crt`).
    mutating func registerBanFingerprintMigrations() {
        registerMigration("bans of CAs by fingerprint") { db in
            try db.execute(sql: """
                ALTER TABLE bans ADD COLUMN name TEXT;
                UPDATE bans SET kind = 'ca-name', name = subject WHERE kind = 'ca';
                """)
        }
    }
}
