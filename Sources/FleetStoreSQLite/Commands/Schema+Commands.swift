import GRDB

extension DatabaseMigrator {
    /// Remote commands (issue 11): one row per command with its current state, and every transition kept.
    mutating func registerCommandMigrations() {
        registerMigration("create commands") { db in
            try db.execute(sql: """
                CREATE TABLE commands (
                    sequence        INTEGER PRIMARY KEY AUTOINCREMENT,  -- issue order, never reused
                    id              TEXT NOT NULL UNIQUE,
                    serial          TEXT NOT NULL,
                    action          TEXT NOT NULL,
                    reason          TEXT NOT NULL,
                    issued_by       TEXT NOT NULL,
                    issued_by_role  TEXT NOT NULL,
                    inspected_by    TEXT,
                    site_trip       TEXT,
                    issued_at       REAL NOT NULL,
                    expires_at      REAL NOT NULL,
                    state           TEXT NOT NULL,
                    result          TEXT,
                    breaker         TEXT,
                    result_reason   TEXT,
                    updated_at      REAL NOT NULL
                );
                CREATE INDEX commands_by_device ON commands (serial, sequence);
                -- What a device should be given: a small partial index, read at every contact.
                CREATE INDEX commands_open ON commands (serial, sequence)
                    WHERE state IN ('awaiting_approval', 'queued', 'sent', 'delivered');
                CREATE INDEX commands_by_update ON commands (updated_at);
                CREATE INDEX commands_by_site_trip ON commands (site_trip, sequence) WHERE site_trip IS NOT NULL;
                CREATE TABLE command_transitions (
                    command_sequence INTEGER NOT NULL REFERENCES commands (sequence),
                    position         INTEGER NOT NULL,
                    state            TEXT NOT NULL,
                    at               REAL NOT NULL,
                    note             TEXT,
                    PRIMARY KEY (command_sequence, position)
                ) WITHOUT ROWID;
                """)
        }
    }
}
