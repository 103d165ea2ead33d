import FleetDomain
import Foundation
import GRDB

// NotificationStore on SQLite: the outbox is filled in the ingest transaction that stores the event it
// reports (`Ingest`), so a notice is queued exactly when its cause is stored, and emptied by the sender.
extension SQLiteFleetStore: NotificationStore {
    private static let notificationColumns = """
        key, site_id, kind, serial, subject, phase, value, occurred_at, created_at, state, attempts, next_attempt_at, delivered_at
        """

    public func claimDueNotifications(at now: Date, limit: Int, leaseUntil: Date) async throws -> [SiteNotification] {
        try await pool.write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.notificationColumns) FROM site_notifications
                WHERE state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                ORDER BY next_attempt_at LIMIT ?
                """, arguments: [now.unixSeconds, now.unixSeconds, limit])
            let claim = try db.cachedStatement(sql: "UPDATE site_notifications SET lease_until = ? WHERE key = ?")
            return try rows.compactMap { row in
                try claim.execute(arguments: [leaseUntil.unixSeconds, row["key"] as String])
                return Self.notification(row)
            }
        }
    }

    public func recordAttempt(_ attempt: NotificationAttempt, state: SiteNotification.State, nextAttemptAt: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO notification_attempts (key, at, duration, status, error) VALUES (?, ?, ?, ?, ?)
                """, arguments: [attempt.key, attempt.at.unixSeconds, attempt.duration, attempt.status, attempt.error])
            try db.execute(sql: """
                UPDATE site_notifications SET state = ?, attempts = attempts + 1, next_attempt_at = ?, lease_until = NULL,
                    delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END
                WHERE key = ?
                """, arguments: [state.rawValue, nextAttemptAt.unixSeconds, state.rawValue, attempt.at.unixSeconds, attempt.key])
        }
    }

    public func notifications(siteID: String?, limit: Int) async throws -> [SiteNotification] {
        try await pool.read { db in
            let filter = siteID == nil ? "" : "WHERE site_id = ?"
            var arguments: StatementArguments = siteID.map { [$0] } ?? []
            arguments += [limit]
            return try Row.fetchAll(db, sql: """
                SELECT \(Self.notificationColumns) FROM site_notifications \(filter) ORDER BY created_at DESC, key LIMIT ?
                """, arguments: arguments).compactMap(Self.notification)
        }
    }

    public func attempts(of key: String) async throws -> [NotificationAttempt] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT key, at, duration, status, error FROM notification_attempts WHERE key = ? ORDER BY id
                """, arguments: [key]).map { row in
                NotificationAttempt(key: row["key"], at: Date(timeIntervalSince1970: row["at"]), duration: row["duration"],
                                    status: row["status"], error: row["error"])
            }
        }
    }

    public func webhookSecret(of siteID: String) async throws -> [UInt8]? {
        try await pool.read { db in
            (try Data.fetchOne(db, sql: "SELECT secret FROM site_secrets WHERE site_id = ?", arguments: [siteID])).map { [UInt8]($0) }
        }
    }

    public func setWebhookSecret(_ secret: [UInt8], for siteID: String, at now: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO site_secrets (site_id, secret, created_at) VALUES (?, ?, ?)
                ON CONFLICT (site_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at
                """, arguments: [siteID, Data(secret), now.unixSeconds])
        }
    }

    private static func notification(_ row: Row) -> SiteNotification? {
        guard let kind = SiteNotification.Kind(rawValue: row["kind"]), let state = SiteNotification.State(rawValue: row["state"]),
              let serial = Serial(row["serial"] as String) else { return nil }
        return SiteNotification(
            key: row["key"], siteID: row["site_id"], kind: kind, serial: serial, subject: row["subject"], phase: row["phase"],
            value: row["value"], occurredAt: Date(timeIntervalSince1970: row["occurred_at"]),
            createdAt: Date(timeIntervalSince1970: row["created_at"]), state: state, attempts: row["attempts"],
            nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]),
            deliveredAt: (row["delivered_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }
}

/// Queues the site notices an ingest batch causes, inside its transaction.
enum NotificationOutbox {
    /// A trip the device reported: one notice to its site, if the site has a webhook.
    static func statement(_ db: Database) throws -> Statement {
        try db.cachedStatement(sql: """
            INSERT INTO site_notifications (key, site_id, kind, serial, subject, phase, value, occurred_at, created_at, state,
                                            next_attempt_at)
            SELECT ?, d.site_id, 'trip', d.serial, ?, ?, ?, ?, ?, 'pending', ?
            FROM device_sites d JOIN sites s ON s.id = d.site_id
            WHERE d.serial = ? AND s.manager_webhook IS NOT NULL
            ON CONFLICT (key) DO NOTHING
            """)
    }

    static func queueTrip(_ event: EventRecord, with statement: Statement) throws {
        let report = event.report
        guard report.action == .tripped || report.type == .trip else { return }
        let serial = event.serial.rawValue
        let received = event.receivedAt.unixSeconds
        try statement.execute(arguments: [
            "trip:\(serial):\(report.id)", report.type.rawValue, report.phase, report.value, Double(report.at), received, received, serial,
        ])
    }
}
