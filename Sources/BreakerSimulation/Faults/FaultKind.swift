/// The faults a simulated breaker can be made to suffer, by the names of `--faults`.
public enum FaultKind: String, Sendable, CaseIterable, Hashable, Codable {
    /// A series arc: a burst of arcing half-cycles (GB 50166-2019 §4.8.6).
    case arc
    /// An insulation fault: residual current above the profile's alarm level.
    case leakage
    /// A loose or corroded terminal heating one conductor past the profile's alarm level.
    case overtemp
    /// A bolted short circuit: current far above the instantaneous trip level. Latches the breaker.
    case short
    /// Sustained current above the profile's trip percentage of the rated current.
    case overload
    /// Supply voltage above the profile's trip level.
    case overvoltage
    /// Supply voltage below the profile's trip level.
    case undervoltage
}
