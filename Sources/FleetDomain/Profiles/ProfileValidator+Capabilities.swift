extension ProfileValidator {
    /// Capability names as models declare them (`caps` at registration; `ModelCapability` raw values).
    public enum Capability {
        public static let leakage = "leakage"
        public static let temperature = "temperature"
        public static let arcExtinguish = "arc_extinguish"
        public static let remoteTrip = "remote_trip"
        public static let remoteReset = "remote_reset"
    }

    /// What `profile` asks that a model with `capabilities` cannot carry out. A profile must not promise a
    /// protection the device cannot give:
    /// - any leakage action (alarm or trip) needs `leakage`: without a residual-current sensor there is
    ///   nothing to alarm on;
    /// - `arc.action: trip` needs `arc_extinguish` (a detector can only alarm);
    /// - `temperature.action: trip` needs `temperature`.
    ///
    /// Alarm-only arc and temperature monitoring are not checked: a model without the sensor simply
    /// reports nothing, and the server's own alarms come from telemetry. Nor is `remote`: it grants
    /// permission (a model without a remote actuator is never sent a trip or reset command), it promises
    /// no protection.
    public static func check(_ profile: ThresholdProfile, capabilities: Set<String>) -> [ProfileViolation] {
        var check = ViolationCollector()
        func require(_ capability: String, _ field: String, _ value: String, because what: String) {
            guard !capabilities.contains(capability) else { return }
            check.add(
                field, value, "capability \(capability)", nil, .capability,
                "needs capability \(capability), which this model lacks (\(what))")
        }
        require(Capability.leakage, "leakage.action", profile.leakage.action.rawValue, because: "no residual-current sensor")
        if profile.arc.action == .trip {
            require(Capability.arcExtinguish, "arc.action", "trip", because: "it can detect arcs but not open on them")
        }
        if profile.temperature.action == .trip {
            require(Capability.temperature, "temperature.action", "trip", because: "no wire temperature sensors")
        }
        return check.violations
    }
}
