/// What a simulated breaker measures at one instant, in the units of its telemetry (V, A, Cel, W, Wh).
///
/// Arrays are per phase: one entry for a single-phase breaker, three for a three-phase one.
public struct ElectricalReading: Sendable, Equatable {
    /// Unix seconds.
    public var time: Double
    public var voltageV: [Double]
    public var currentA: [Double]
    public var neutralCurrentA: Double
    /// Residual current, in amperes (telemetry `leakage` is in A; profiles speak mA).
    public var leakageA: Double
    public var wireTempC: [Double]
    public var neutralTempC: Double
    public var cabinetTempC: Double
    /// The air around the cabinet: what wire temperatures relax toward. Not reported, but bounds them.
    public var ambientC: Double
    public var powerW: Double
    /// Energy delivered since the breaker was made: never decreases.
    public var energyWh: Double
    /// Arcing half-cycles per second at this instant.
    public var arcHalfCyclesPerS: Double

    public init(
        time: Double, voltageV: [Double], currentA: [Double], neutralCurrentA: Double, leakageA: Double,
        wireTempC: [Double], neutralTempC: Double, cabinetTempC: Double, ambientC: Double, powerW: Double,
        energyWh: Double, arcHalfCyclesPerS: Double
    ) {
        self.time = time
        self.voltageV = voltageV
        self.currentA = currentA
        self.neutralCurrentA = neutralCurrentA
        self.leakageA = leakageA
        self.wireTempC = wireTempC
        self.neutralTempC = neutralTempC
        self.cabinetTempC = cabinetTempC
        self.ambientC = ambientC
        self.powerW = powerW
        self.energyWh = energyWh
        self.arcHalfCyclesPerS = arcHalfCyclesPerS
    }

    /// The physical bounds every reading keeps (220 V systems): what a test of the simulator checks.
    public static let voltageBounds = 0.0...300.0
    public static let maximumTempC = 200.0
    /// Below ambient by at most this much (a sensor's error, a draught).
    public static let belowAmbientC = 5.0
}
