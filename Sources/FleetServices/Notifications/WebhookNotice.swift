import FleetDomain
import Foundation

/// The JSON body of a site notice (what the manager's system receives):
/// `{"delivery","kind","site":{"id","name","county"},"device":{"serial","circuit"},
///   "event":{"type","phase","value","at"},"queued_at"}`, times in ISO 8601.
struct WebhookNotice: Encodable {
    struct SiteFacts: Encodable {
        let id: String
        let name: String
        let county: String
    }

    struct DeviceFacts: Encodable {
        let serial: String
        let circuit: String?
    }

    struct EventFacts: Encodable {
        let type: String
        let phase: String?
        let value: Double?
        let at: Date
    }

    let delivery: String
    let kind: String
    let site: SiteFacts
    let device: DeviceFacts
    let event: EventFacts
    let queuedAt: Date

    enum CodingKeys: String, CodingKey {
        case delivery, kind, site, device, event, queuedAt = "queued_at"
    }

    init(_ notification: SiteNotification, site: Site, circuit: String?) {
        delivery = notification.key
        kind = notification.kind.rawValue
        self.site = SiteFacts(id: site.id, name: site.name, county: site.county)
        device = DeviceFacts(serial: notification.serial.rawValue, circuit: circuit)
        event = EventFacts(type: notification.subject, phase: notification.phase, value: notification.value, at: notification.occurredAt)
        queuedAt = notification.createdAt
    }

    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
