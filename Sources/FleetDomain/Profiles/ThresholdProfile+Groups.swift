// The groups of a threshold profile (spec/profiles.md, "Fields"). Every initializer defaults to the spec's
// default column, so `ThresholdProfile.factoryDefault` and a document's absent fields agree.

extension ThresholdProfile {
    /// Residual current (mA).
    public struct Leakage: Sendable, Equatable, Hashable, Codable {
        public var warnMA: Int
        public var alarmMA: Int
        public var delayS: Int
        public var action: ProtectionAction

        public init(warnMA: Int = 200, alarmMA: Int = 300, delayS: Int = 1, action: ProtectionAction = .alarm) {
            self.warnMA = warnMA
            self.alarmMA = alarmMA
            self.delayS = delayS
            self.action = action
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case warnMA = "warn_ma", alarmMA = "alarm_ma", delayS = "delay_s", action
        }
    }

    /// Wire temperature (°C).
    public struct Temperature: Sendable, Equatable, Hashable, Codable {
        public var warnC: Double
        public var alarmC: Double
        public var delayS: Int
        /// Not in the spec's table: a breaker alarms on temperature unless told to trip (the issue's
        /// "leakage and temperature alarm by default, per the profile's action"; charging stations trip).
        public var action: ProtectionAction
        /// Lifts the rule that `alarm_c` is at most 80 % of the cable's rating, for a deliberate exception.
        public var override: Bool

        public init(warnC: Double = 50, alarmC: Double = 55, delayS: Int = 5, action: ProtectionAction = .alarm, override: Bool = false) {
            self.warnC = warnC
            self.alarmC = alarmC
            self.delayS = delayS
            self.action = action
            self.override = override
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case warnC = "warn_c", alarmC = "alarm_c", delayS = "delay_s", action, override
        }
    }

    /// Arc faults: half-cycles with arcing per second.
    public struct Arc: Sendable, Equatable, Hashable, Codable {
        public var halfCyclesPerS: Int
        public var action: ProtectionAction

        public init(halfCyclesPerS: Int = 14, action: ProtectionAction = .alarm) {
            self.halfCyclesPerS = halfCyclesPerS
            self.action = action
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case halfCyclesPerS = "half_cycles_per_s", action
        }
    }

    /// Current as a percentage of the breaker's rated current.
    public struct Overload: Sendable, Equatable, Hashable, Codable {
        public var warnPct: Int
        public var alarmPct: Int
        public var tripPct: Int
        public var tripDelayS: Int

        public init(warnPct: Int = 85, alarmPct: Int = 100, tripPct: Int = 120, tripDelayS: Int = 60) {
            self.warnPct = warnPct
            self.alarmPct = alarmPct
            self.tripPct = tripPct
            self.tripDelayS = tripDelayS
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case warnPct = "warn_pct", alarmPct = "alarm_pct", tripPct = "trip_pct", tripDelayS = "trip_delay_s"
        }
    }

    /// Instantaneous trip, as a multiple of the rated current.
    public struct ShortCircuit: Sendable, Equatable, Hashable, Codable {
        public var instantMultiple: Double

        public init(instantMultiple: Double = 10) {
            self.instantMultiple = instantMultiple
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case instantMultiple = "instant_multiple"
        }
    }

    /// Phase voltage (V, 220 V systems).
    public struct Voltage: Sendable, Equatable, Hashable, Codable {
        public var overWarnV: Int
        public var overTripV: Int
        public var underWarnV: Int
        public var underTripV: Int
        public var delayS: Int
        /// 0 = off; otherwise the breaker re-closes this long after a voltage trip's cause has cleared.
        public var autoRecloseS: Int

        public init(
            overWarnV: Int = 242, overTripV: Int = 275, underWarnV: Int = 198, underTripV: Int = 170,
            delayS: Int = 5, autoRecloseS: Int = 30
        ) {
            self.overWarnV = overWarnV
            self.overTripV = overTripV
            self.underWarnV = underWarnV
            self.underTripV = underTripV
            self.delayS = delayS
            self.autoRecloseS = autoRecloseS
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case overWarnV = "over_warn_v", overTripV = "over_trip_v", underWarnV = "under_warn_v"
            case underTripV = "under_trip_v", delayS = "delay_s", autoRecloseS = "auto_reclose_s"
        }
    }

    /// A power limiter (rentals, charging stations).
    public struct Power: Sendable, Equatable, Hashable, Codable {
        /// 0 = off.
        public var limitW: Int

        public init(limitW: Int = 0) {
            self.limitW = limitW
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case limitW = "limit_w"
        }
    }

    public struct Reporting: Sendable, Equatable, Hashable, Codable {
        public var telemetryIntervalS: Int
        /// The server marks a device offline after three missed heartbeats.
        public var heartbeatS: Int

        public init(telemetryIntervalS: Int = 300, heartbeatS: Int = 120) {
            self.telemetryIntervalS = telemetryIntervalS
            self.heartbeatS = heartbeatS
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case telemetryIntervalS = "telemetry_interval_s", heartbeatS = "heartbeat_s"
        }
    }

    public struct Remote: Sendable, Equatable, Hashable, Codable {
        public var allowRemoteTrip: Bool
        public var allowRemoteReset: Bool
        public var resetRequiresConfirm: Bool

        public init(allowRemoteTrip: Bool = true, allowRemoteReset: Bool = true, resetRequiresConfirm: Bool = false) {
            self.allowRemoteTrip = allowRemoteTrip
            self.allowRemoteReset = allowRemoteReset
            self.resetRequiresConfirm = resetRequiresConfirm
        }

        public enum CodingKeys: String, CodingKey, CaseIterable {
            case allowRemoteTrip = "allow_remote_trip", allowRemoteReset = "allow_remote_reset"
            case resetRequiresConfirm = "reset_requires_confirm"
        }
    }
}
