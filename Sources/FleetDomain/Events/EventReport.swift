/// What a device reports happened (`POST /v1/events`), keyed by the device's own event id so a
/// retransmitted report is recognised and never counted twice.
public struct EventReport: Sendable, Equatable, Codable {
    public var id: String
    public var type: EventType
    /// Unix seconds, as the device saw it.
    public var at: Int64
    public var value: Double?
    public var phase: String?
    public var action: EventAction?

    public init(id: String, type: EventType, at: Int64, value: Double? = nil, phase: String? = nil, action: EventAction? = nil) {
        self.id = id
        self.type = type
        self.at = at
        self.value = value
        self.phase = phase
        self.action = action
    }
}

public enum EventType: String, Sendable, Codable, CaseIterable {
    case arcFault = "arc_fault"
    case overTemperature = "over_temperature"
    case leakage
    case overload
    case shortCircuit = "short_circuit"
    case overVoltage = "over_voltage"
    case underVoltage = "under_voltage"
    case phaseLoss = "phase_loss"
    case trip
    case reset
    case selfTest = "self_test"
    case powerLoss = "power_loss"
    case powerRestored = "power_restored"
}

public enum EventAction: String, Sendable, Codable, CaseIterable {
    case tripped
    case alarmOnly = "alarm_only"
}
