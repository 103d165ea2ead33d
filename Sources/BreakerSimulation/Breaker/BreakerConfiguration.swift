import FleetDomain

/// What one simulated breaker is: its identity, its hardware, where it is installed and what goes wrong.
public struct BreakerConfiguration: Sendable, Equatable {
    /// The capabilities of a fully featured model (the strings of `ModelCapability`).
    public static let allCapabilities: Set<String> = [
        "temperature", "arc_detect", "arc_extinguish", "leakage", "remote_trip", "remote_reset",
    ]

    public var serial: Serial
    public var model: String
    public var firmware: String
    public var hardware: String?
    /// Sent as `caps` at registration and used to accept or reject profiles (`ProfileValidator.check`).
    public var capabilities: Set<String>
    /// 1 (L1 + N) or 3 (L1–L3 + N).
    public var phases: Int
    /// In amperes; overload percentages and the short-circuit multiple refer to it.
    public var ratedCurrentA: Double
    /// Chooses the daily load curve.
    public var siteCategory: SiteCategory
    public var faults: FaultRates
    /// Chance (0…1) that a firmware update ends `failed` instead of `installed`.
    public var firmwareFailureProbability: Double
    /// Simulated download speed, bytes per second.
    public var firmwareBytesPerSecond: Double
    /// The site's offset from UTC in seconds (load curves follow local time); China is +8 h.
    public var utcOffsetSeconds: Int
    /// `lifetime` of the registration, seconds.
    public var lifetime: Int
    public var seed: UInt64

    public init(
        serial: Serial, model: String = "BF-SIM-3P", firmware: String = "1.0.0", hardware: String? = "sim-1",
        capabilities: Set<String> = BreakerConfiguration.allCapabilities, phases: Int = 3, ratedCurrentA: Double = 63,
        siteCategory: SiteCategory = .commerce, faults: FaultRates = .none, firmwareFailureProbability: Double = 0,
        firmwareBytesPerSecond: Double = 50_000, utcOffsetSeconds: Int = 8 * 3600, lifetime: Int = 86_400,
        seed: UInt64 = 1
    ) {
        precondition(phases == 1 || phases == 3, "phases must be 1 or 3, not \(phases)")
        precondition(ratedCurrentA > 0, "ratedCurrentA must be positive")
        precondition((0...1).contains(firmwareFailureProbability), "firmwareFailureProbability must be 0…1")
        precondition(firmwareBytesPerSecond > 0, "firmwareBytesPerSecond must be positive")
        self.serial = serial
        self.model = model
        self.firmware = firmware
        self.hardware = hardware
        self.capabilities = capabilities
        self.phases = phases
        self.ratedCurrentA = ratedCurrentA
        self.siteCategory = siteCategory
        self.faults = faults
        self.firmwareFailureProbability = firmwareFailureProbability
        self.firmwareBytesPerSecond = firmwareBytesPerSecond
        self.utcOffsetSeconds = utcOffsetSeconds
        self.lifetime = lifetime
        self.seed = seed
    }
}
