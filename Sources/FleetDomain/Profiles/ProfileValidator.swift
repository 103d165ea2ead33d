/// Checks a threshold profile against the ranges and cross-field rules of spec/profiles.md and returns
/// every violation, not just the first, so one round trip shows an admin all that must change.
public enum ProfileValidator {
    /// The ranges of the spec's table.
    public enum Limits {
        public static let id = 1...64
        public static let standardBasis = 1...256
        public static let notes = 0...4096
        public static let nominalVoltages = [220, 380]
        public static let leakageMA = 20...1000
        public static let leakageDelayS = 0...20
        public static let temperatureC = 45.0...140.0
        public static let temperatureDelayS = 0...30
        /// `temperature.alarm_c` may be at most this share of the cable's rating unless `override`.
        public static let cableRatingShare = 0.8
        public static let arcHalfCyclesPerS = 10...14
        public static let overloadPct = 40...200
        public static let overloadTripDelayS = 1...3600
        public static let instantMultiple = 1.5...15.0
        public static let overVoltageV = 230...300
        public static let underVoltageV = 140...215
        public static let voltageDelayS = 0...60
        /// Or 0 (off).
        public static let autoRecloseS = 20...600
        /// Or 0 (off).
        public static let powerLimitW = 100...25_000
        public static let telemetryIntervalS = 10...3600
        public static let heartbeatS = 30...3600
    }

    /// Every range and cross-field rule `profile` breaks, in the order of the spec's table.
    public static func validate(_ profile: ThresholdProfile) -> [ProfileViolation] {
        var check = ViolationCollector()
        header(profile, &check)
        let leakage = profile.leakage
        check.range("leakage.warn_ma", leakage.warnMA, Limits.leakageMA, ProfileBasis.leakageLevels)
        check.range("leakage.alarm_ma", leakage.alarmMA, Limits.leakageMA, ProfileBasis.leakageLevels)
        check.below("leakage.warn_ma", leakage.warnMA, "leakage.alarm_ma", leakage.alarmMA, ProfileBasis.leakageLevels)
        check.range("leakage.delay_s", leakage.delayS, Limits.leakageDelayS, ProfileBasis.leakageDelay)
        temperature(profile, &check)
        check.range("arc.half_cycles_per_s", profile.arc.halfCyclesPerS, Limits.arcHalfCyclesPerS, ProfileBasis.arc)
        let overload = profile.overload
        check.range("overload.warn_pct", overload.warnPct, Limits.overloadPct, ProfileBasis.overload)
        check.range("overload.alarm_pct", overload.alarmPct, Limits.overloadPct, ProfileBasis.overload)
        check.range("overload.trip_pct", overload.tripPct, Limits.overloadPct, ProfileBasis.overload)
        check.below("overload.warn_pct", overload.warnPct, "overload.alarm_pct", overload.alarmPct, ProfileBasis.overload)
        check.notAbove("overload.alarm_pct", overload.alarmPct, "overload.trip_pct", overload.tripPct, ProfileBasis.overload)
        check.range("overload.trip_delay_s", overload.tripDelayS, Limits.overloadTripDelayS, nil)
        check.range("short_circuit.instant_multiple", profile.shortCircuit.instantMultiple, Limits.instantMultiple, ProfileBasis.shortCircuit)
        voltage(profile.voltage, &check)
        check.zeroOr("power.limit_w", profile.power.limitW, Limits.powerLimitW, ProfileBasis.power)
        check.range("reporting.telemetry_interval_s", profile.reporting.telemetryIntervalS, Limits.telemetryIntervalS, ProfileBasis.telemetryInterval)
        check.range("reporting.heartbeat_s", profile.reporting.heartbeatS, Limits.heartbeatS, ProfileBasis.heartbeat)
        return check.violations
    }

    private static func header(_ profile: ThresholdProfile, _ check: inout ViolationCollector) {
        if !ThresholdProfile.isValidID(profile.id) {
            check.add("id", quoted(profile.id), "[a-z0-9-]{1,64}", nil, .pattern, "does not match [a-z0-9-]{1,64}")
        }
        if let version = profile.version, version < 1 {
            check.add("version", "\(version)", "1", nil, .range, "is below 1")
        }
        if let basis = profile.standardBasis {
            check.text("standard_basis", basis, Limits.standardBasis)
        }
        if let notes = profile.notes {
            check.text("notes", notes, Limits.notes)
        }
        if !Limits.nominalVoltages.contains(profile.nominalVoltageV) {
            check.add("nominal_voltage_v", "\(profile.nominalVoltageV)", "220 or 380", nil, .choice, "is not 220 or 380")
        }
    }

    private static func temperature(_ profile: ThresholdProfile, _ check: inout ViolationCollector) {
        let group = profile.temperature
        check.range("temperature.warn_c", group.warnC, Limits.temperatureC, ProfileBasis.temperatureLevels)
        check.range("temperature.alarm_c", group.alarmC, Limits.temperatureC, ProfileBasis.temperatureLevels)
        check.below("temperature.warn_c", group.warnC, "temperature.alarm_c", group.alarmC, ProfileBasis.temperatureLevels)
        let cable = profile.cableInsulation
        let ceiling = cable.ratingC * Limits.cableRatingShare
        if !group.override, group.alarmC > ceiling {
            let bound = Diagnostic.number(ceiling)
            check.add(
                "temperature.alarm_c", Diagnostic.number(group.alarmC), bound, ProfileBasis.temperatureLevels, .cableRating,
                "is above \(bound), 80 % of the \(Diagnostic.number(cable.ratingC)) °C rating of \(cable.rawValue) cable (set temperature.override to allow)")
        }
        check.range("temperature.delay_s", group.delayS, Limits.temperatureDelayS, nil)
    }

    private static func voltage(_ group: ThresholdProfile.Voltage, _ check: inout ViolationCollector) {
        check.range("voltage.over_warn_v", group.overWarnV, Limits.overVoltageV, ProfileBasis.overVoltage)
        check.range("voltage.over_trip_v", group.overTripV, Limits.overVoltageV, ProfileBasis.overVoltage)
        check.below("voltage.over_warn_v", group.overWarnV, "voltage.over_trip_v", group.overTripV, ProfileBasis.overVoltage)
        check.range("voltage.under_warn_v", group.underWarnV, Limits.underVoltageV, nil)
        check.range("voltage.under_trip_v", group.underTripV, Limits.underVoltageV, nil)
        check.below("voltage.under_trip_v", group.underTripV, "voltage.under_warn_v", group.underWarnV, nil)
        check.range("voltage.delay_s", group.delayS, Limits.voltageDelayS, nil)
        check.zeroOr("voltage.auto_reclose_s", group.autoRecloseS, Limits.autoRecloseS, ProfileBasis.autoReclose)
    }

    /// `text` in quotes, as a diagnostic may echo it (`Diagnostic.echo` already shows an empty text as `""`).
    static func quoted(_ text: String) -> String { text.isEmpty ? #""""# : "\"\(Diagnostic.echo(text))\"" }
}
