/// One fault occurrence: what, where, from when to when, and how strong.
///
/// `magnitude` is in the unit of what the fault drives: A for short and overload, mA for leakage, °C of
/// terminal temperature for overtemp, V for over- and undervoltage, half-cycles per second for arc.
struct ActiveFault: Sendable, Equatable {
    let kind: FaultKind
    /// Phase index, 0-based.
    let phase: Int
    let start: Double
    let end: Double
    let magnitude: Double
    /// Protection has dealt with it: raised its event, or found it too short or the breaker already open.
    /// Overtemp starts handled: it is judged on sampled temperatures, not on the fault's timing.
    var handled: Bool

    func isActive(at time: Double) -> Bool { start <= time && time < end }
    func isFinished(at time: Double) -> Bool { handled && end <= time }
}

/// Edge detection with a delay and hysteresis for a condition seen only at ticks: it fires once when the
/// condition has held for `delay` seconds, and re-arms only once the condition has cleared to its re-arm
/// level — so one episode raises one event, however noisy the reading.
struct ConditionLatch: Sendable, Equatable {
    private(set) var onset: Double?
    private(set) var fired = false

    /// `active`: at or above the alarm level now; `cleared`: below the re-arm level now.
    /// Returns true exactly when the episode's event is due.
    mutating func update(active: Bool, cleared: Bool, now: Double, delay: Double) -> Bool {
        if cleared {
            onset = nil
            fired = false
            return false
        }
        guard active else {
            onset = nil
            return false
        }
        let since = onset ?? now
        onset = since
        guard !fired, now - since >= delay else { return false }
        fired = true
        return true
    }
}
