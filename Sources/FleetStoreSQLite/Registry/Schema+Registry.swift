import GRDB

/// The registry tables of the certified fleet: models, sites, installations, claim codes, retirements
/// and bans. Kept apart from `Schema.swift` so the device-plane tables read on their own; the migration
/// names are as permanent as those there.
extension DatabaseMigrator {
    mutating func registerRegistryMigrations() {
        registerMigration("create certified_models") { db in
            try db.execute(sql: """
                CREATE TABLE certified_models (
                    code                 TEXT    NOT NULL PRIMARY KEY,
                    manufacturer         TEXT    NOT NULL,
                    certification_number TEXT    NOT NULL,
                    valid_from           REAL    NOT NULL,
                    valid_until          REAL    NOT NULL,
                    rated_current_a      REAL    NOT NULL,
                    poles                INTEGER NOT NULL,
                    capabilities         TEXT    NOT NULL  -- JSON array of capability names
                ) WITHOUT ROWID;
                """)
        }

        registerMigration("create sites") { db in
            try db.execute(sql: """
                CREATE TABLE sites (
                    id              TEXT NOT NULL PRIMARY KEY,
                    name            TEXT NOT NULL,
                    category        TEXT NOT NULL,
                    county          TEXT NOT NULL,
                    address         TEXT NOT NULL,
                    manager_name    TEXT NOT NULL,
                    manager_phone   TEXT NOT NULL,
                    manager_webhook TEXT
                ) WITHOUT ROWID;
                -- Coverage by county and category, and an installer's county scope.
                CREATE INDEX sites_by_county ON sites(county, category);
                """)
        }

        registerMigration("create installations") { db in
            try db.execute(sql: """
                -- Where each device is now: one device per circuit of a site. Decommissioning deletes the row.
                CREATE TABLE device_sites (
                    serial  TEXT NOT NULL PRIMARY KEY REFERENCES devices(serial),
                    site_id TEXT NOT NULL REFERENCES sites(id),
                    circuit TEXT NOT NULL,
                    UNIQUE (site_id, circuit)
                ) WITHOUT ROWID;
                -- Every installation ever made, never updated.
                CREATE TABLE installations (
                    id           TEXT    NOT NULL PRIMARY KEY,
                    serial       TEXT    NOT NULL,
                    site_id      TEXT    NOT NULL,
                    circuit      TEXT    NOT NULL,
                    method       TEXT    NOT NULL,
                    installed_by TEXT    NOT NULL,
                    at           REAL    NOT NULL,
                    rekeyed      INTEGER NOT NULL
                );
                CREATE INDEX installations_by_device ON installations(serial, at);
                CREATE TABLE claim_codes (
                    id              TEXT NOT NULL PRIMARY KEY,
                    hash            TEXT NOT NULL UNIQUE,  -- hex SHA-256 of the secret
                    site_id         TEXT NOT NULL REFERENCES sites(id),
                    created_by      TEXT NOT NULL,
                    created_at      REAL NOT NULL,
                    expires_at      REAL NOT NULL,
                    redeemed_at     REAL,
                    redeemed_serial TEXT
                );
                """)
        }

        registerMigration("create retirements and bans") { db in
            try db.execute(sql: """
                CREATE TABLE retirements (
                    id     INTEGER PRIMARY KEY,
                    serial TEXT NOT NULL,
                    state  TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    by     TEXT NOT NULL,
                    at     REAL NOT NULL
                );
                CREATE INDEX retirements_by_device ON retirements(serial, at);
                CREATE TABLE bans (
                    kind    TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    reason  TEXT NOT NULL,
                    by      TEXT NOT NULL,
                    at      REAL NOT NULL,
                    PRIMARY KEY (kind, subject)
                ) WITHOUT ROWID;
                """)
        }
    }
}
