import FleetDomain

/// Reads a threshold profile from a JSON document (a file in `Profiles/`, an admin's upload, the body of
/// `GET /v1/profile`) and names every problem it finds at once.
///
/// Absent or `null` fields and groups take the spec's defaults (`ThresholdProfile`'s initializers); `id`
/// and `site_category` are required. Unknown groups and unknown fields are refused, because in a profile
/// they are typos (`alarm_mA` for `alarm_ma`) that would otherwise silently fall back to a default.
/// Types are checked here; ranges are `ProfileValidator`'s job.
public enum ProfileDecoder {
    public static func decode(_ body: [UInt8]) throws(ProfileDecodingError) -> ThresholdProfile {
        let root: JSONFields
        do {
            root = try JSONFields(body: body)
        } catch {
            throw ProfileDecodingError(issues: [error.diagnostic], id: nil, version: nil)
        }
        var reader = ProfileReader()
        reader.unknown(in: root, known: ThresholdProfile.CodingKeys.allCases.map(\.rawValue), what: "a header field or group")
        let id = reader.read { () throws(DeviceAPIError) in try root.string("id", bytes: 0...Int.max) }
        let version = reader.read { () throws(DeviceAPIError) in try root.optionalInteger("version", in: Int.min...Int.max) } ?? nil
        let category = reader.read { () throws(DeviceAPIError) in try root.choice("site_category", SiteCategory.self) }
        var profile = ThresholdProfile(id: id ?? "", version: version, siteCategory: category ?? .default)
        profile.standardBasis = reader.read { () throws(DeviceAPIError) in try root.optionalString("standard_basis", bytes: 0...Int.max) } ?? nil
        profile.notes = reader.read { () throws(DeviceAPIError) in try root.optionalString("notes", bytes: 0...Int.max) } ?? nil
        reader.integer(root, "nominal_voltage_v", into: &profile.nominalVoltageV)
        reader.choice(root, "cable_insulation", into: &profile.cableInsulation)
        readGroups(root, &reader, &profile)
        guard reader.issues.isEmpty else {
            throw ProfileDecodingError(issues: reader.issues, id: id, version: version)
        }
        return profile
    }

    public static func decode(_ text: String) throws(ProfileDecodingError) -> ThresholdProfile {
        try decode(Array(text.utf8))
    }

    private static func readGroups(_ root: JSONFields, _ reader: inout ProfileReader, _ profile: inout ThresholdProfile) {
        if let group = reader.group(root, "leakage", ThresholdProfile.Leakage.CodingKeys.self) {
            reader.integer(group, "warn_ma", into: &profile.leakage.warnMA)
            reader.integer(group, "alarm_ma", into: &profile.leakage.alarmMA)
            reader.integer(group, "delay_s", into: &profile.leakage.delayS)
            reader.choice(group, "action", into: &profile.leakage.action)
        }
        if let group = reader.group(root, "temperature", ThresholdProfile.Temperature.CodingKeys.self) {
            reader.number(group, "warn_c", into: &profile.temperature.warnC)
            reader.number(group, "alarm_c", into: &profile.temperature.alarmC)
            reader.integer(group, "delay_s", into: &profile.temperature.delayS)
            reader.choice(group, "action", into: &profile.temperature.action)
            reader.bool(group, "override", into: &profile.temperature.override)
        }
        if let group = reader.group(root, "arc", ThresholdProfile.Arc.CodingKeys.self) {
            reader.integer(group, "half_cycles_per_s", into: &profile.arc.halfCyclesPerS)
            reader.choice(group, "action", into: &profile.arc.action)
        }
        if let group = reader.group(root, "overload", ThresholdProfile.Overload.CodingKeys.self) {
            reader.integer(group, "warn_pct", into: &profile.overload.warnPct)
            reader.integer(group, "alarm_pct", into: &profile.overload.alarmPct)
            reader.integer(group, "trip_pct", into: &profile.overload.tripPct)
            reader.integer(group, "trip_delay_s", into: &profile.overload.tripDelayS)
        }
        if let group = reader.group(root, "short_circuit", ThresholdProfile.ShortCircuit.CodingKeys.self) {
            reader.number(group, "instant_multiple", into: &profile.shortCircuit.instantMultiple)
        }
        if let group = reader.group(root, "voltage", ThresholdProfile.Voltage.CodingKeys.self) {
            reader.integer(group, "over_warn_v", into: &profile.voltage.overWarnV)
            reader.integer(group, "over_trip_v", into: &profile.voltage.overTripV)
            reader.integer(group, "under_warn_v", into: &profile.voltage.underWarnV)
            reader.integer(group, "under_trip_v", into: &profile.voltage.underTripV)
            reader.integer(group, "delay_s", into: &profile.voltage.delayS)
            reader.integer(group, "auto_reclose_s", into: &profile.voltage.autoRecloseS)
        }
        if let group = reader.group(root, "power", ThresholdProfile.Power.CodingKeys.self) {
            reader.integer(group, "limit_w", into: &profile.power.limitW)
        }
        if let group = reader.group(root, "reporting", ThresholdProfile.Reporting.CodingKeys.self) {
            reader.integer(group, "telemetry_interval_s", into: &profile.reporting.telemetryIntervalS)
            reader.integer(group, "heartbeat_s", into: &profile.reporting.heartbeatS)
        }
        if let group = reader.group(root, "remote", ThresholdProfile.Remote.CodingKeys.self) {
            reader.bool(group, "allow_remote_trip", into: &profile.remote.allowRemoteTrip)
            reader.bool(group, "allow_remote_reset", into: &profile.remote.allowRemoteReset)
            reader.bool(group, "reset_requires_confirm", into: &profile.remote.resetRequiresConfirm)
        }
    }
}

/// A profile document that cannot be read: every problem, each `field: message`, plus the `id` and
/// `version` when those at least could be read (a device reports a rejection under them).
public struct ProfileDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let issues: [String]
    public let id: String?
    public let version: Int?

    public init(issues: [String], id: String?, version: Int?) {
        self.issues = issues
        self.id = id
        self.version = version
    }

    /// The issues joined with `; `.
    public var message: String { issues.joined(separator: "; ") }
    public var description: String { message }
}
