import GRDB

extension DatabaseMigrator {
    /// Schema changes that make ingest cheaper.
    mutating func registerIngestSpeedMigrations() {
        // The UNIQUE (journal_segment, journal_offset) index cost an index insert, a conflict check and its
        // own dirty pages in every commit, per pack. It guarded against a replayed record landing twice,
        // which the journal checkpoint already rules out: every batch is committed together with the
        // position it reaches, and `Ingest.apply` and the replayer skip whatever is at or before it. SQLite
        // cannot drop a UNIQUE constraint, so the table is rebuilt (same columns and ids, same index by device).
        registerMigration("telemetry without the journal position index") { db in
            try db.execute(sql: """
                CREATE TABLE telemetry_rebuilt (
                    id              INTEGER PRIMARY KEY,
                    serial          TEXT    NOT NULL,
                    journal_segment INTEGER NOT NULL,
                    journal_offset  INTEGER NOT NULL,
                    received_at     REAL    NOT NULL,
                    body            BLOB    NOT NULL
                );
                INSERT INTO telemetry_rebuilt (id, serial, journal_segment, journal_offset, received_at, body)
                    SELECT id, serial, journal_segment, journal_offset, received_at, body FROM telemetry;
                DROP TABLE telemetry;
                ALTER TABLE telemetry_rebuilt RENAME TO telemetry;
                CREATE INDEX telemetry_by_device ON telemetry(serial, received_at);
                """)
        }
    }
}
