import GRDB

/// The threshold-profile tables: immutable versions, assignments, and each device's desired and reported
/// profile.
extension DatabaseMigrator {
    mutating func registerProfileMigrations() {
        registerMigration("create profiles") { db in
            try db.execute(sql: """
                -- Every version ever stored; never updated or deleted. The version number is fleet-wide
                -- (AUTOINCREMENT never reuses one), so a number alone names one document.
                CREATE TABLE profile_versions (
                    version    INTEGER PRIMARY KEY AUTOINCREMENT,
                    profile_id TEXT NOT NULL,
                    body       BLOB NOT NULL,  -- canonical JSON without "version"
                    created_at REAL NOT NULL,
                    source     TEXT NOT NULL
                );
                CREATE INDEX profile_versions_by_id ON profile_versions(profile_id, version);
                CREATE TABLE profile_assignments (
                    target_kind TEXT NOT NULL,  -- device, site, category
                    target      TEXT NOT NULL,
                    profile_id  TEXT NOT NULL,
                    assigned_at REAL NOT NULL,
                    assigned_by TEXT NOT NULL,
                    PRIMARY KEY (target_kind, target)
                ) WITHOUT ROWID;
                -- What precedence chose for each device (desired_*: NULL when nothing fits its model) and
                -- what the device last reported through PUT /v1/profile/applied.
                CREATE TABLE device_profiles (
                    serial              TEXT NOT NULL PRIMARY KEY,
                    desired_id          TEXT,
                    desired_version     INTEGER,
                    desired_via         TEXT,
                    desired_heartbeat_s INTEGER,
                    desired_since       REAL,
                    refusals            TEXT NOT NULL DEFAULT '[]',  -- JSON array of ProfileRefusal
                    reported_id         TEXT,
                    reported_version    INTEGER,
                    reported_result     TEXT,
                    reported_reason     TEXT,
                    reported_at         REAL
                ) WITHOUT ROWID;
                """)
        }
    }
}
