import GRDB

extension DatabaseMigrator {
    /// The outbox of site notifications (webhooks) and the per-site secrets that sign them.
    mutating func registerNotificationMigrations() {
        registerMigration("create site notifications") { db in
            try db.execute(sql: """
                -- The HMAC key of each site's webhook. Not hashed: the server signs with it. Sites from before
                -- get a random one, which an admin replaces (rotate) to learn it.
                CREATE TABLE site_secrets (
                    site_id     TEXT NOT NULL PRIMARY KEY REFERENCES sites (id),
                    secret      BLOB NOT NULL,
                    created_at  REAL NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO site_secrets (site_id, secret, created_at)
                    SELECT id, randomblob(32), CAST(strftime('%s', 'now') AS REAL) FROM sites;
                CREATE TABLE site_notifications (
                    key             TEXT NOT NULL PRIMARY KEY,   -- one per fact: a replay never notifies twice
                    site_id         TEXT NOT NULL,
                    kind            TEXT NOT NULL,
                    serial          TEXT NOT NULL,
                    subject         TEXT NOT NULL,
                    phase           TEXT,
                    value           REAL,
                    occurred_at     REAL NOT NULL,
                    created_at      REAL NOT NULL,
                    state           TEXT NOT NULL,
                    attempts        INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL,
                    lease_until     REAL,
                    delivered_at    REAL
                ) WITHOUT ROWID;
                CREATE INDEX site_notifications_due ON site_notifications (next_attempt_at) WHERE state = 'pending';
                CREATE INDEX site_notifications_by_site ON site_notifications (site_id, created_at);
                CREATE TABLE notification_attempts (
                    id          INTEGER PRIMARY KEY,
                    key         TEXT NOT NULL,
                    at          REAL NOT NULL,
                    duration    REAL NOT NULL,
                    status      INTEGER,
                    error       TEXT
                );
                CREATE INDEX notification_attempts_by_key ON notification_attempts (key, id);
                """)
        }
    }
}
