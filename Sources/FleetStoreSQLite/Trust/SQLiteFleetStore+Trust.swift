import FleetDomain
import Foundation
import GRDB

// CertificateBindingStore and SecurityEventStore on SQLite.
extension SQLiteFleetStore: CertificateBindingStore, SecurityEventStore {
    private static let certificateColumns =
        "serial, fingerprint, issuer_fingerprint, public_key_fingerprint, not_before, not_after, bound_at, superseded_at, source"

    public func allCertificateBindings() async throws -> [Serial: CertificateBindings] {
        try await pool.read { db in
            var bindings: [Serial: CertificateBindings] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(Self.certificateColumns) FROM device_certificates ORDER BY bound_at") {
                guard let serial = Serial(row["serial"]), let certificate = Self.certificate(row) else { continue }
                bindings[serial, default: CertificateBindings()].certificates.append(certificate)
            }
            return bindings
        }
    }

    public func certificateBindings(of serial: Serial) async throws -> CertificateBindings {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT \(Self.certificateColumns) FROM device_certificates WHERE serial = ? ORDER BY bound_at",
                arguments: [serial.rawValue])
            return CertificateBindings(rows.compactMap(Self.certificate))
        }
    }

    public func bind(_ certificate: BoundCertificate, to serial: Serial) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE device_certificates SET superseded_at = ? WHERE serial = ? AND superseded_at IS NULL AND fingerprint <> ?",
                arguments: [certificate.boundAt.timeIntervalSince1970, serial.rawValue, Data(certificate.fingerprint.bytes)])
            try db.execute(
                sql: """
                    INSERT INTO device_certificates (\(Self.certificateColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)
                    ON CONFLICT (serial, fingerprint) DO UPDATE SET superseded_at = NULL, bound_at = excluded.bound_at,
                        source = excluded.source
                    """,
                arguments: [
                    serial.rawValue, Data(certificate.fingerprint.bytes), Data(certificate.issuerFingerprint.bytes),
                    certificate.publicKeyFingerprint.map { Data($0.bytes) }, certificate.notBefore?.timeIntervalSince1970,
                    certificate.notAfter?.timeIntervalSince1970, certificate.boundAt.timeIntervalSince1970,
                    certificate.source.rawValue,
                ])
        }
    }

    public func currentCertificates(expiringBefore date: Date) async throws -> [(serial: Serial, certificate: BoundCertificate)] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.certificateColumns) FROM device_certificates
                WHERE superseded_at IS NULL AND not_after IS NOT NULL AND not_after < ? ORDER BY not_after
                """, arguments: [date.timeIntervalSince1970])
            return rows.compactMap { row in
                guard let serial = Serial(row["serial"]), let certificate = Self.certificate(row) else { return nil }
                return (serial, certificate)
            }
        }
    }

    public func record(_ events: [SecurityEvent]) async throws {
        guard !events.isEmpty else { return }
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO security_events (at, serial, reason, detail, certificate_fingerprint, issuer_fingerprint)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
            for event in events {
                try statement.execute(arguments: [
                    event.at.timeIntervalSince1970, event.serial, event.reason.rawValue, event.detail,
                    event.certificateFingerprint.map { Data($0.bytes) }, event.issuerFingerprint.map { Data($0.bytes) },
                ])
            }
        }
    }

    public func securityEvents(serial: String?, since: Date?, limit: Int) async throws -> [SecurityEvent] {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let serial {
                conditions.append("serial = ?")
                arguments += [serial]
            }
            if let since {
                conditions.append("at >= ?")
                arguments += [since.timeIntervalSince1970]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [limit]
            let rows = try Row.fetchAll(db, sql: """
                SELECT at, serial, reason, detail, certificate_fingerprint, issuer_fingerprint FROM security_events
                \(filter) ORDER BY id DESC LIMIT ?
                """, arguments: arguments)
            return rows.compactMap { row in
                guard let reason = SecurityRefusal(rawValue: row["reason"]) else { return nil }
                return SecurityEvent(
                    at: Date(timeIntervalSince1970: row["at"]), serial: row["serial"], reason: reason, detail: row["detail"],
                    certificateFingerprint: Self.fingerprint(row["certificate_fingerprint"]),
                    issuerFingerprint: Self.fingerprint(row["issuer_fingerprint"]))
            }
        }
    }

    private static func certificate(_ row: Row) -> BoundCertificate? {
        guard let leaf = Self.fingerprint(row["fingerprint"]), let issuer = Self.fingerprint(row["issuer_fingerprint"]),
              let source = BoundCertificate.Source(rawValue: row["source"]) else { return nil }
        return BoundCertificate(
            fingerprint: leaf, issuerFingerprint: issuer, publicKeyFingerprint: Self.fingerprint(row["public_key_fingerprint"]),
            notBefore: date(row["not_before"]), notAfter: date(row["not_after"]), boundAt: Date(timeIntervalSince1970: row["bound_at"]),
            supersededAt: date(row["superseded_at"]), source: source)
    }

    private static func fingerprint(_ data: Data?) -> Fingerprint? { data.flatMap { Fingerprint(bytes: [UInt8]($0)) } }
    private static func date(_ seconds: Double?) -> Date? { seconds.map(Date.init(timeIntervalSince1970:)) }
}
