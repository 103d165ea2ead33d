import GRDB

extension DatabaseMigrator {
    /// Certificate bindings (issue 10) and the security events that refusals leave.
    mutating func registerTrustMigrations() {
        registerMigration("create device_certificates and security_events") { db in
            try db.execute(sql: """
                CREATE TABLE device_certificates (
                    serial              TEXT NOT NULL,
                    fingerprint         BLOB NOT NULL,
                    issuer_fingerprint  BLOB NOT NULL,
                    public_key_fingerprint BLOB,
                    not_before          REAL,
                    not_after           REAL,
                    bound_at            REAL NOT NULL,
                    superseded_at       REAL,
                    source              TEXT NOT NULL,
                    PRIMARY KEY (serial, fingerprint)
                ) WITHOUT ROWID;
                CREATE TABLE security_events (
                    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
                    at                  REAL NOT NULL,
                    serial              TEXT,
                    reason              TEXT NOT NULL,
                    detail              TEXT NOT NULL,
                    certificate_fingerprint BLOB,
                    issuer_fingerprint  BLOB
                );
                CREATE INDEX security_events_by_serial ON security_events (serial, at);
                """)
        }
    }
}
