import FleetDomain

/// A measurement in snake_case. Absent values are omitted, as in SenML: a record carries exactly one
/// of `value`, `string_value` or `bool_value`. `time` stays Unix seconds, as the device reported it.
struct MeasurementRepresentation: Encodable, Sendable {
    let name: String
    let unit: String?
    let value: Double?
    let stringValue: String?
    let boolValue: Bool?
    let sum: Double?
    let time: Double

    init(_ measurement: Measurement) {
        self.name = measurement.name
        self.unit = measurement.unit
        self.value = measurement.value
        self.stringValue = measurement.stringValue
        self.boolValue = measurement.boolValue
        self.sum = measurement.sum
        self.time = measurement.time
    }

    private enum CodingKeys: String, CodingKey {
        case name, unit, value, sum, time
        case stringValue = "string_value", boolValue = "bool_value"
    }
}
