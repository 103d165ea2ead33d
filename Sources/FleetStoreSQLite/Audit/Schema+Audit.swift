import FleetDomain
import GRDB

extension DatabaseMigrator {
    /// The hash-chained audit trail (issue 11, item 5): the records, and the chain head apart from them.
    mutating func registerAuditMigrations() {
        registerMigration("create audit_log and audit_head") { db in
            try db.execute(sql: """
                -- One row per audit record; `sequence` is the chain's order (1-based, gapless). Times are whole
                -- Unix milliseconds as INTEGER, not the REAL seconds of other tables: the hash covers exactly
                -- these milliseconds, and a REAL could not give them back bit for bit.
                CREATE TABLE audit_log (
                    sequence        INTEGER PRIMARY KEY,
                    at_ms           INTEGER NOT NULL,
                    actor_name      TEXT    NOT NULL,
                    actor_role      TEXT    NOT NULL,
                    action          TEXT    NOT NULL,
                    target          TEXT    NOT NULL,
                    device          TEXT,
                    reason          TEXT,
                    breaker         TEXT,
                    detail          TEXT    NOT NULL DEFAULT '{}',  -- JSON object of strings
                    previous_hash   TEXT    NOT NULL,
                    hash            TEXT    NOT NULL
                );
                CREATE INDEX audit_log_by_device ON audit_log (device, sequence) WHERE device IS NOT NULL;
                CREATE INDEX audit_log_by_actor ON audit_log (actor_name, sequence);
                CREATE INDEX audit_log_by_time ON audit_log (at_ms);

                -- The chain head (a single row): moved in the same transaction as every append, so records
                -- cut from the end of audit_log are detected by verification.
                CREATE TABLE audit_head (
                    id      INTEGER PRIMARY KEY CHECK (id = 1),
                    count   INTEGER NOT NULL,
                    hash    TEXT    NOT NULL
                );
                INSERT INTO audit_head (id, count, hash) VALUES (1, 0, '\(AuditChain.genesisHash)');

                -- Append-only. Someone with the file can drop these; verification is what catches that.
                CREATE TRIGGER audit_log_refuses_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: records are never updated'); END;
                CREATE TRIGGER audit_log_refuses_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: records are never deleted'); END;
                CREATE TRIGGER audit_head_only_grows BEFORE UPDATE ON audit_head WHEN NEW.count < OLD.count
                BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END;
                CREATE TRIGGER audit_head_is_kept BEFORE DELETE ON audit_head
                BEGIN SELECT RAISE(ABORT, 'audit_head is never deleted'); END;
                """)
        }
    }
}
