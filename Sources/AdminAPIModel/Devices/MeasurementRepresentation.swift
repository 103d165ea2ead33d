import FleetDomain

/// A measurement in snake_case. Absent values are omitted, as in SenML: a record carries exactly one
/// of `value`, `string_value` or `bool_value`. `time` stays Unix seconds, as the device reported it.
public struct MeasurementRepresentation: Codable, Sendable, Equatable {
    public var name: String
    public var unit: String?
    public var value: Double?
    public var stringValue: String?
    public var boolValue: Bool?
    public var sum: Double?
    public var time: Double

    public init(_ measurement: Measurement) {
        self.name = measurement.name
        self.unit = measurement.unit
        self.value = measurement.value
        self.stringValue = measurement.stringValue
        self.boolValue = measurement.boolValue
        self.sum = measurement.sum
        self.time = measurement.time
    }

    enum CodingKeys: String, CodingKey {
        case name, unit, value, sum, time
        case stringValue = "string_value", boolValue = "bool_value"
    }
}
