/// One resolved SenML record: the name is relative to the device (the `urn:dev:sn:SERIAL:` base name stripped),
/// the time absolute (Unix seconds), the unit exactly as the device sent it.
public struct Measurement: Sendable, Equatable, Codable {
    public var name: String
    public var unit: String?
    public var value: Double?
    public var stringValue: String?
    public var boolValue: Bool?
    public var sum: Double?
    public var time: Double

    public init(
        name: String, unit: String? = nil, value: Double? = nil, stringValue: String? = nil,
        boolValue: Bool? = nil, sum: Double? = nil, time: Double
    ) {
        self.name = name
        self.unit = unit
        self.value = value
        self.stringValue = stringValue
        self.boolValue = boolValue
        self.sum = sum
        self.time = time
    }
}

/// A validated telemetry pack, as accepted from one device.
public struct TelemetryPack: Sendable, Equatable {
    public var measurements: [Measurement]

    public init(measurements: [Measurement]) {
        self.measurements = measurements
    }
}
