import Foundation
import FleetDomain
import GRDB

/// The fleet's measurement, not Foundation's unit-typed one.
typealias Measurement = FleetDomain.Measurement

// Conversions between domain values and column values. Values always travel as bound arguments.

extension Date {
    /// Column value of a time: Unix seconds.
    var unixSeconds: Double { timeIntervalSince1970 }
}

extension JournalPosition {
    /// Column values of a position (see `Schema`: bit patterns of the unsigned numbers).
    var columnSegment: Int64 { Int64(bitPattern: segment) }
    var columnOffset: Int64 { Int64(bitPattern: offset) }

    init(columnSegment: Int64, columnOffset: Int64) {
        self.init(segment: UInt64(bitPattern: columnSegment), offset: UInt64(bitPattern: columnOffset))
    }
}

enum Columns {
    static func date(_ value: Double?) -> Date? {
        value.map { Date(timeIntervalSince1970: $0) }
    }

    static func serial(_ text: String) throws -> Serial {
        guard let serial = Serial(text) else {
            throw StoreError(.corrupt, "stored serial \(text) does not match \(Serial.rule)")
        }
        return serial
    }

    static func capabilitiesJSON(_ capabilities: [String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(capabilities), as: UTF8.self)
    }

    static func capabilities(_ json: String, of serial: String) throws -> [String] {
        do {
            return try JSONDecoder().decode([String].self, from: Data(json.utf8))
        } catch {
            throw StoreError(.corrupt, "capabilities of device \(serial) are not a JSON array of strings")
        }
    }

    static func enumValue<T: RawRepresentable>(_ type: T.Type, _ raw: String, _ what: String) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw StoreError(.corrupt, "unknown \(what) \(raw)") }
        return value
    }

    // MARK: devices

    static let deviceList = """
        serial, model, state, firmware, hardware, capabilities, lifetime, heartbeat_s, profile_id, \
        profile_version, provisioned_at, registered_at, last_seen
        """

    /// Decodes a row selected with `deviceList`.
    static func device(_ row: Row) throws -> Device {
        let serialText: String = row[0]
        return Device(
            serial: try serial(serialText),
            model: row[1],
            state: try enumValue(DeviceState.self, row[2], "device state"),
            firmware: row[3],
            hardware: row[4],
            capabilities: try capabilities(row[5], of: serialText),
            lifetime: row[6],
            heartbeatSeconds: row[7],
            profileID: row[8],
            profileVersion: row[9],
            provisionedAt: date(row[10]),
            registeredAt: date(row[11]),
            lastSeen: date(row[12]))
    }

    // MARK: events

    static let eventList = "event_id, type, at, value, phase, action, received_at"

    static func event(_ row: Row) throws -> StoredEvent {
        let action: String? = row[5]
        let report = EventReport(
            id: row[0],
            type: try enumValue(EventType.self, row[1], "event type"),
            at: row[2],
            value: row[3],
            phase: row[4],
            action: try action.map { try enumValue(EventAction.self, $0, "event action") })
        return StoredEvent(report: report, receivedAt: Date(timeIntervalSince1970: row[6]))
    }

    // MARK: latest measurements

    static let measurementList = "name, unit, value, vs, vb, sum, time"

    static func measurement(_ row: Row) -> Measurement {
        Measurement(name: row[0], unit: row[1], value: row[2], stringValue: row[3], boolValue: row[4],
                    sum: row[5], time: row[6])
    }

    // MARK: tokens

    static let tokenList = "id, name, role, hash, created_at, expires_at, revoked_at, counties"

    static func token(_ row: Row) throws -> StoredToken {
        StoredToken(
            id: row[0], name: row[1],
            role: try enumValue(Role.self, row[2], "token role"),
            hash: row[3],
            createdAt: Date(timeIntervalSince1970: row[4]),
            expiresAt: date(row[5]),
            revokedAt: date(row[6]),
            counties: try stringArray(row[7], what: "counties of token"))
    }
}
