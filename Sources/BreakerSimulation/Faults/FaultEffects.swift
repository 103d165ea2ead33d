/// What the faults under way at one instant do to the electrical values, per phase index (0-based).
struct FaultEffects: Sendable, Equatable {
    /// Supply voltage forced to this value (over- or undervoltage).
    var voltageV: [Int: Double] = [:]
    /// Load current forced to this value (overload).
    var currentA: [Int: Double] = [:]
    /// Residual current forced to this value (insulation fault), amperes.
    var leakageA: Double?
    /// Extra heat at a terminal, °C of temperature rise (overtemp).
    var heatC: [Int: Double] = [:]
    /// Arcing half-cycles per second.
    var arcHalfCyclesPerS: Double = 0

    static let none = FaultEffects()
}
