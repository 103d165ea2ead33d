import FleetDomain
import Foundation

/// One telemetry pack as received.
struct TelemetryRepresentation: Encodable, Sendable {
    let receivedAt: Date
    let measurements: [MeasurementRepresentation]

    init(_ telemetry: StoredTelemetry) {
        self.receivedAt = telemetry.receivedAt
        self.measurements = telemetry.measurements.map(MeasurementRepresentation.init)
    }

    private enum CodingKeys: String, CodingKey {
        case receivedAt = "received_at", measurements
    }
}
