import DeviceWire
import FleetDomain
import Foundation
import GRDB

// Row conversions of the profile tables (Schema+Profiles.swift).
extension Columns {
    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    /// A `profile_versions` row (`version, body, created_at, source`).
    static func storedProfile(_ row: Row) throws -> StoredProfile {
        let version: Int = row["version"]
        var profile: ThresholdProfile
        do {
            profile = try ProfileDecoder.decode([UInt8](row["body"] as Data))
        } catch {
            throw StoreError(.corrupt, "profile version \(version) no longer decodes: \(error.message)")
        }
        profile.version = version
        return StoredProfile(profile: profile, createdAt: Date(timeIntervalSince1970: row["created_at"]), source: row["source"])
    }

    static func profileAssignment(_ row: Row) throws -> ProfileAssignment {
        let kind = try enumValue(ProfileTarget.Kind.self, row["target_kind"], "assignment target kind")
        let key: String = row["target"]
        guard let target = ProfileTarget(kind: kind, key: key) else {
            throw StoreError(.corrupt, "stored assignment target \(kind.rawValue) \(key) is not valid")
        }
        return ProfileAssignment(target: target, profileID: row["profile_id"],
                                 assignedAt: Date(timeIntervalSince1970: row["assigned_at"]), assignedBy: row["assigned_by"])
    }

    /// `parsed` remembers decoded capability lists: a fleet has few distinct ones, and precedence reads
    /// every device.
    static func profileFacts(_ row: Row, parsed: inout [String: [String]]) throws -> ProfileDeviceFacts {
        let serialText: String = row["serial"]
        func list(_ json: String) throws -> [String] {
            if let known = parsed[json] { return known }
            let decoded = try stringArray(json, what: "capabilities of device \(serialText) or its model")
            parsed[json] = decoded
            return decoded
        }
        let modelCapabilities = try (row["model_capabilities"] as String?).map(list)
        let declared = try list(row["capabilities"])
        let category = try (row["category"] as String?).map { try enumValue(SiteCategory.self, $0, "site category") }
        return ProfileDeviceFacts(
            serial: try serial(serialText), model: row["model"],
            state: try enumValue(DeviceState.self, row["state"], "device state"),
            siteID: row["site_id"], category: category, county: row["county"],
            capabilities: Set(modelCapabilities ?? declared), registeredAt: date(row["registered_at"]))
    }

    /// The columns `deviceProfileState` reads: the device's profile row and what it last registered with.
    static let deviceProfileStateSelect = """
        SELECT p.*, d.profile_id AS running_id, d.profile_version AS running_version
        FROM device_profiles p LEFT JOIN devices d ON d.serial = p.serial
        """

    static func deviceProfileState(_ row: Row) throws -> DeviceProfileState {
        let serialText: String = row["serial"]
        var desired: DesiredProfile?
        if let id: String = row["desired_id"], let version: Int = row["desired_version"] {
            let via = try (row["desired_via"] as String?).map { try enumValue(ProfileTarget.Kind.self, $0, "assignment kind") }
            desired = DesiredProfile(profileID: id, version: version, via: via,
                                     heartbeatSeconds: row["desired_heartbeat_s"] ?? Registration.defaultHeartbeat)
        }
        let refusalsJSON: String = row["refusals"]
        var refusals: [ProfileRefusal] = []
        // Nearly every device has none: skip the decoder (status reads every device's row).
        if refusalsJSON != "[]" {
            do {
                refusals = try JSONDecoder().decode([ProfileRefusal].self, from: Data(refusalsJSON.utf8))
            } catch {
                throw StoreError(.corrupt, "profile refusals of device \(serialText) are not valid JSON")
            }
        }
        var report: ProfileReport?
        if let id: String = row["reported_id"], let version: Int = row["reported_version"], let result: String = row["reported_result"] {
            report = ProfileReport(id: id, version: version, result: try enumValue(ProfileReport.Result.self, result, "profile result"),
                                   reason: row["reported_reason"])
        }
        var running: RegistrationRequest.ProfileRef?
        if let id: String = row["running_id"], let version: Int = row["running_version"] { running = .init(id: id, version: version) }
        return DeviceProfileState(
            serial: try serial(serialText), resolution: ProfileResolution(desired: desired, refusals: refusals),
            desiredSince: date(row["desired_since"]), report: report, reportedAt: date(row["reported_at"]), running: running)
    }
}
