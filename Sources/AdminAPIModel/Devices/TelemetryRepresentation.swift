import FleetDomain
import Foundation

/// One telemetry pack as received.
public struct TelemetryRepresentation: Codable, Sendable, Equatable {
    public var receivedAt: Date
    public var measurements: [MeasurementRepresentation]

    public init(_ telemetry: StoredTelemetry) {
        self.receivedAt = telemetry.receivedAt
        self.measurements = telemetry.measurements.map(MeasurementRepresentation.init)
    }

    enum CodingKeys: String, CodingKey {
        case receivedAt = "received_at", measurements
    }
}
