import FleetDomain
import XCTest

/// `ProfileValidator.validate`: both sides of every range of spec/profiles.md, and the cross-field rules.
final class ProfileValidatorTests: XCTestCase {
    private struct Bound {
        let field: String
        let low: Double
        let high: Double
        /// How far outside a bound the refused values lie.
        let step: Double
        let set: (inout ThresholdProfile, Double) -> Void
    }

    private static func int(_ path: WritableKeyPath<ThresholdProfile, Int>) -> (inout ThresholdProfile, Double) -> Void {
        { profile, value in profile[keyPath: path] = Int(value) }
    }

    private static func double(_ path: WritableKeyPath<ThresholdProfile, Double>) -> (inout ThresholdProfile, Double) -> Void {
        { profile, value in profile[keyPath: path] = value }
    }

    private static var bounds: [Bound] {
        [
            Bound(field: "leakage.warn_ma", low: 20, high: 1000, step: 1, set: int(\.leakage.warnMA)),
            Bound(field: "leakage.alarm_ma", low: 20, high: 1000, step: 1, set: int(\.leakage.alarmMA)),
            Bound(field: "leakage.delay_s", low: 0, high: 20, step: 1, set: int(\.leakage.delayS)),
            Bound(field: "temperature.warn_c", low: 45, high: 140, step: 0.5, set: double(\.temperature.warnC)),
            Bound(field: "temperature.alarm_c", low: 45, high: 140, step: 0.5, set: double(\.temperature.alarmC)),
            Bound(field: "temperature.delay_s", low: 0, high: 30, step: 1, set: int(\.temperature.delayS)),
            Bound(field: "arc.half_cycles_per_s", low: 10, high: 14, step: 1, set: int(\.arc.halfCyclesPerS)),
            Bound(field: "overload.warn_pct", low: 40, high: 200, step: 1, set: int(\.overload.warnPct)),
            Bound(field: "overload.alarm_pct", low: 40, high: 200, step: 1, set: int(\.overload.alarmPct)),
            Bound(field: "overload.trip_pct", low: 40, high: 200, step: 1, set: int(\.overload.tripPct)),
            Bound(field: "overload.trip_delay_s", low: 1, high: 3600, step: 1, set: int(\.overload.tripDelayS)),
            Bound(field: "short_circuit.instant_multiple", low: 1.5, high: 15, step: 0.1, set: double(\.shortCircuit.instantMultiple)),
            Bound(field: "voltage.over_warn_v", low: 230, high: 300, step: 1, set: int(\.voltage.overWarnV)),
            Bound(field: "voltage.over_trip_v", low: 230, high: 300, step: 1, set: int(\.voltage.overTripV)),
            Bound(field: "voltage.under_warn_v", low: 140, high: 215, step: 1, set: int(\.voltage.underWarnV)),
            Bound(field: "voltage.under_trip_v", low: 140, high: 215, step: 1, set: int(\.voltage.underTripV)),
            Bound(field: "voltage.delay_s", low: 0, high: 60, step: 1, set: int(\.voltage.delayS)),
            Bound(field: "reporting.telemetry_interval_s", low: 10, high: 3600, step: 1, set: int(\.reporting.telemetryIntervalS)),
            Bound(field: "reporting.heartbeat_s", low: 30, high: 3600, step: 1, set: int(\.reporting.heartbeatS)),
        ]
    }

    private func rangeViolations(_ profile: ThresholdProfile, _ field: String) -> [ProfileViolation] {
        ProfileValidator.validate(profile).filter { $0.field == field && $0.rule == .range }
    }

    private func show(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : "\(value)"
    }

    func testFactoryDefaultIsValid() {
        XCTAssertEqual(ProfileValidator.validate(.factoryDefault), [])
        XCTAssertEqual(ProfileValidator.check(.factoryDefault, capabilities: ["leakage"]), [])
    }

    func testEveryBoundOnBothSides() {
        for bound in Self.bounds {
            for accepted in [bound.low, bound.high] {
                var profile = ThresholdProfile.factoryDefault
                bound.set(&profile, accepted)
                XCTAssertEqual(rangeViolations(profile, bound.field), [], "\(bound.field) = \(accepted)")
            }
            for (refused, edge, word) in [(bound.low - bound.step, bound.low, "below"), (bound.high + bound.step, bound.high, "above")] {
                var profile = ThresholdProfile.factoryDefault
                bound.set(&profile, refused)
                let violations = rangeViolations(profile, bound.field)
                XCTAssertEqual(violations.count, 1, "\(bound.field) = \(refused)")
                XCTAssertEqual(violations.first?.bound, show(edge), bound.field)
                XCTAssertEqual(violations.first?.value, show(refused), bound.field)
                XCTAssertEqual(violations.first?.message, "\(bound.field): \(show(refused)) is \(word) \(show(edge))")
            }
        }
    }

    func testZeroMeansOff() {
        let cases: [(String, WritableKeyPath<ThresholdProfile, Int>, [Int], [Int], String)] = [
            ("voltage.auto_reclose_s", \.voltage.autoRecloseS, [0, 20, 600], [1, 19, 601, -1], "0 or 20–600"),
            ("power.limit_w", \.power.limitW, [0, 100, 25_000], [1, 99, 25_001, -5], "0 or 100–25000"),
        ]
        for (field, path, accepted, refused, bound) in cases {
            for value in accepted {
                var profile = ThresholdProfile.factoryDefault
                profile[keyPath: path] = value
                XCTAssertEqual(rangeViolations(profile, field), [], "\(field) = \(value)")
            }
            for value in refused {
                var profile = ThresholdProfile.factoryDefault
                profile[keyPath: path] = value
                XCTAssertEqual(rangeViolations(profile, field).map(\.bound), [bound], "\(field) = \(value)")
            }
        }
    }

    func testOrderRules() {
        var profile = ThresholdProfile.factoryDefault
        profile.leakage.warnMA = 300  // = alarm
        profile.overload.alarmPct = 120  // = trip: allowed (alarm ≤ trip)
        profile.overload.warnPct = 120  // = alarm: refused (warn < alarm)
        profile.voltage.overWarnV = 280  // above trip 275
        profile.voltage.underTripV = 198  // = under_warn
        profile.temperature.warnC = 55  // = alarm
        let messages = ProfileValidator.validate(profile).filter { $0.rule == .order }.map(\.message)
        XCTAssertEqual(messages, [
            "leakage.warn_ma: 300 is not below leakage.alarm_ma (300)",
            "temperature.warn_c: 55 is not below temperature.alarm_c (55)",
            "overload.warn_pct: 120 is not below overload.alarm_pct (120)",
            "voltage.over_warn_v: 280 is not below voltage.over_trip_v (275)",
            "voltage.under_trip_v: 198 is not below voltage.under_warn_v (198)",
        ])
        profile = .factoryDefault
        profile.overload.alarmPct = 121
        let violation = ProfileValidator.validate(profile).first
        XCTAssertEqual(violation?.message, "overload.alarm_pct: 121 is above overload.trip_pct (120)")
        XCTAssertEqual(violation?.bound, "≤ overload.trip_pct = 120")
        XCTAssertEqual(violation?.basis, ProfileBasis.overload)
    }

    func testTemperatureAlarmAgainstCableRating() {
        var profile = ThresholdProfile.factoryDefault
        profile.temperature.alarmC = 56  // 80 % of PVC70's 70 °C
        XCTAssertEqual(ProfileValidator.validate(profile), [])
        profile.temperature.alarmC = 56.5
        let violation = ProfileValidator.validate(profile)
        XCTAssertEqual(violation.map(\.rule), [.cableRating])
        XCTAssertEqual(violation.first?.field, "temperature.alarm_c")
        XCTAssertEqual(violation.first?.bound, "56")
        XCTAssertEqual(violation.first?.basis, ProfileBasis.temperatureLevels)
        profile.cableInsulation = .xlpe90  // 72 °C
        profile.temperature.alarmC = 72
        XCTAssertEqual(ProfileValidator.validate(profile), [])
        profile.temperature.alarmC = 73
        XCTAssertEqual(ProfileValidator.validate(profile).map(\.bound), ["72"])
        profile.temperature.override = true
        XCTAssertEqual(ProfileValidator.validate(profile), [])
    }

    func testHeader() {
        var profile = ThresholdProfile.factoryDefault
        profile.id = "Shop-1"
        profile.version = 0
        profile.nominalVoltageV = 230
        profile.standardBasis = ""
        XCTAssertEqual(ProfileValidator.validate(profile).map(\.message), [
            #"id: "Shop-1" does not match [a-z0-9-]{1,64}"#,
            "version: 0 is below 1",
            #"standard_basis: "" is empty"#,
            "nominal_voltage_v: 230 is not 220 or 380",
        ])
        profile = .factoryDefault
        profile.id = String(repeating: "a", count: 65)
        XCTAssertEqual(ProfileValidator.validate(profile).map(\.field), ["id"])
        profile.id = String(repeating: "a", count: 64)
        profile.version = 1
        profile.nominalVoltageV = 380
        XCTAssertEqual(ProfileValidator.validate(profile), [])
    }

    func testThreeViolationsAreAllReported() {
        var profile = ThresholdProfile.factoryDefault
        profile.leakage.alarmMA = 2000
        profile.voltage.autoRecloseS = 5
        profile.reporting.heartbeatS = 10
        let violations = ProfileValidator.validate(profile)
        XCTAssertEqual(violations.map(\.description), [
            "leakage.alarm_ma: 2000 is above 1000 [\(ProfileBasis.leakageLevels)]",
            "voltage.auto_reclose_s: 5 is neither 0 (off) nor within 20–600 [\(ProfileBasis.autoReclose)]",
            "reporting.heartbeat_s: 10 is below 30 [\(ProfileBasis.heartbeat)]",
        ])
        XCTAssertEqual(violations.map(\.value), ["2000", "5", "10"])
    }

    func testCapabilities() {
        var profile = ThresholdProfile.factoryDefault
        profile.arc.action = .trip
        profile.temperature.action = .trip
        let all: Set<String> = ["leakage", "temperature", "arc_detect", "arc_extinguish", "remote_trip", "remote_reset"]
        XCTAssertEqual(ProfileValidator.check(profile, capabilities: all), [])
        let detectorOnly = ProfileValidator.check(profile, capabilities: ["arc_detect"])
        XCTAssertEqual(detectorOnly.map(\.field), [
            "leakage.action", "arc.action", "temperature.action",
        ])
        XCTAssertTrue(detectorOnly.allSatisfy { $0.rule == .capability })
        XCTAssertEqual(detectorOnly[1].message, "arc.action: trip needs capability arc_extinguish, which this model lacks (it can detect arcs but not open on them)")
        XCTAssertEqual(ProfileValidator.check(.factoryDefault, capabilities: ["leakage"]), [],
                       "alarm-only arc and temperature need no capability, and remote permissions promise nothing")
    }
}
