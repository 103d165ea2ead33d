import FleetDomain
import Foundation

/// An event as reported plus when the server received it. `at` stays Unix seconds (the device's clock);
/// `received_at` is the server's. Optional keys are always present, null when absent.
struct EventRepresentation: Encodable, Sendable {
    let event: StoredEvent

    init(_ event: StoredEvent) {
        self.event = event
    }

    private enum CodingKeys: String, CodingKey {
        case id, type, at, value, phase, action
        case receivedAt = "received_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.report.id, forKey: .id)
        try container.encode(event.report.type, forKey: .type)
        try container.encode(event.report.at, forKey: .at)
        try container.encode(event.report.value, forKey: .value)
        try container.encode(event.report.phase, forKey: .phase)
        try container.encode(event.report.action, forKey: .action)
        try container.encode(event.receivedAt, forKey: .receivedAt)
    }
}
