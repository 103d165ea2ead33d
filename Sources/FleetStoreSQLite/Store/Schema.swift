import GRDB

/// The database schema, as named migrations. A migration, once shipped, is never edited: changes go in a
/// new migration appended at the end.
///
/// Conventions:
/// - Times are Unix seconds as REAL (the device API's unit), so they sort and compare in SQL.
/// - Journal positions are stored as two INTEGERs. SQLite integers are signed 64-bit, so the `UInt64`
///   segment and offset are stored by bit pattern (`Int64(bitPattern:)`): lossless, and the store only
///   ever compares positions in Swift or for equality in SQL.
/// - The ingest tables (telemetry, latest_measurement, events) have no foreign key to `devices`: they are
///   written at tens of thousands of rows per second and a foreign key costs a lookup per row; every
///   record reaching them was authenticated as its serial by the device plane.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("create devices") { db in
            try db.execute(sql: """
                CREATE TABLE devices (
                    serial          TEXT    NOT NULL PRIMARY KEY,
                    model           TEXT    NOT NULL,
                    state           TEXT    NOT NULL,
                    firmware        TEXT,
                    hardware        TEXT,
                    capabilities    TEXT    NOT NULL DEFAULT '[]',  -- JSON array of strings
                    lifetime        INTEGER NOT NULL,
                    heartbeat_s     INTEGER NOT NULL,
                    profile_id      TEXT,
                    profile_version INTEGER,
                    provisioned_at  REAL,
                    registered_at   REAL,
                    last_seen       REAL
                ) WITHOUT ROWID;
                -- Keyset pagination of one state: WHERE state = ? AND serial > ? ORDER BY serial.
                CREATE INDEX devices_by_state ON devices(state, serial);
                """)
        }

        migrator.registerMigration("create telemetry") { db in
            try db.execute(sql: """
                -- One row per pack as the device sent it (SenML JSON); resolved on read.
                CREATE TABLE telemetry (
                    id              INTEGER PRIMARY KEY,
                    serial          TEXT    NOT NULL,
                    journal_segment INTEGER NOT NULL,
                    journal_offset  INTEGER NOT NULL,
                    received_at     REAL    NOT NULL,
                    body            BLOB    NOT NULL,
                    UNIQUE (journal_segment, journal_offset)  -- a replayed record is the same row
                );
                CREATE INDEX telemetry_by_device ON telemetry(serial, received_at);
                """)
        }

        migrator.registerMigration("create latest_measurement") { db in
            try db.execute(sql: """
                CREATE TABLE latest_measurement (
                    serial TEXT NOT NULL,
                    name   TEXT NOT NULL,
                    unit   TEXT,
                    value  REAL,
                    vs     TEXT,
                    vb     INTEGER,
                    sum    REAL,
                    time   REAL NOT NULL,
                    PRIMARY KEY (serial, name)
                ) WITHOUT ROWID;
                """)
        }

        migrator.registerMigration("create events") { db in
            try db.execute(sql: """
                CREATE TABLE events (
                    id          INTEGER PRIMARY KEY,
                    serial      TEXT    NOT NULL,
                    event_id    TEXT    NOT NULL,
                    type        TEXT    NOT NULL,
                    at          INTEGER NOT NULL,
                    value       REAL,
                    phase       TEXT,
                    action      TEXT,
                    received_at REAL    NOT NULL,
                    UNIQUE (serial, event_id)  -- a repeated report is never counted twice
                );
                CREATE INDEX events_by_device ON events(serial, received_at);
                """)
        }

        migrator.registerMigration("create tokens") { db in
            try db.execute(sql: """
                CREATE TABLE tokens (
                    id         TEXT NOT NULL PRIMARY KEY,
                    name       TEXT NOT NULL,
                    role       TEXT NOT NULL,
                    hash       TEXT NOT NULL UNIQUE,  -- hex SHA-256 of the secret
                    created_at REAL NOT NULL,
                    expires_at REAL,
                    revoked_at REAL
                );
                """)
        }

        migrator.registerMigration("create journal_checkpoint") { db in
            try db.execute(sql: """
                -- The journal position the store holds everything up to: a single row.
                CREATE TABLE journal_checkpoint (
                    id              INTEGER PRIMARY KEY CHECK (id = 1),
                    journal_segment INTEGER NOT NULL,
                    journal_offset  INTEGER NOT NULL
                );
                """)
        }

        migrator.registerMigration("add tokens.counties") { db in
            // JSON array of six-digit county codes an installer token is scoped to.
            try db.execute(sql: "ALTER TABLE tokens ADD COLUMN counties TEXT NOT NULL DEFAULT '[]'")
        }

        migrator.registerRegistryMigrations()
        migrator.registerPresharedKeyMigrations()
        migrator.registerProfileMigrations()
        migrator.registerIngestSpeedMigrations()
        migrator.registerTrustMigrations()
        migrator.registerInstallationRuleMigrations()
        migrator.registerBanFingerprintMigrations()
        migrator.registerQuarantineMigrations()
        migrator.registerCommandMigrations()
        migrator.registerAuditMigrations()
        migrator.registerNotificationMigrations()

        return migrator
    }
}
