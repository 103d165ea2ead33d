import FleetDomain
import Foundation

/// An event as reported plus when the server received it. `at` stays Unix seconds (the device's clock);
/// `received_at` is the server's. Optional keys are always present, null when absent.
public struct EventRepresentation: Codable, Sendable, Equatable {
    public var id: String
    public var type: EventType
    public var at: Int64
    public var value: Double?
    public var phase: String?
    public var action: EventAction?
    public var receivedAt: Date

    public init(_ event: StoredEvent) {
        id = event.report.id
        type = event.report.type
        at = event.report.at
        value = event.report.value
        phase = event.report.phase
        action = event.report.action
        receivedAt = event.receivedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, type, at, value, phase, action
        case receivedAt = "received_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(at, forKey: .at)
        try container.encode(value, forKey: .value)
        try container.encode(phase, forKey: .phase)
        try container.encode(action, forKey: .action)
        try container.encode(receivedAt, forKey: .receivedAt)
    }
}
