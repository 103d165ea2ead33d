import Foundation
import FleetDomain

/// `POST /api/v1/sites`: `{"id","name","category","county","address","manager":{"name","phone","webhook_url"?}}`.
/// The category stays text here so that a wrong one is reported with the list of categories.
public struct SiteRequest: Codable, Sendable, Equatable {
    public struct Manager: Codable, Sendable, Equatable {
        public var name: String
        public var phone: String
        public var webhookURL: String?

        public init(name: String, phone: String, webhookURL: String? = nil) {
            self.name = name
            self.phone = phone
            self.webhookURL = webhookURL
        }

        enum CodingKeys: String, CodingKey { case name, phone, webhookURL = "webhook_url" }

        public init(from decoder: any Decoder) throws {
            var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
            let name: String? = fields.required(.name)
            let phone: String? = fields.required(.phone)
            webhookURL = fields.optional(.webhookURL)
            (self.name, self.phone) = try fields.complete(name, phone)
        }
    }

    public var id: String
    public var name: String
    public var category: String
    public var county: String
    public var address: String
    public var manager: Manager

    public init(id: String, name: String, category: String, county: String, address: String, manager: Manager) {
        self.id = id
        self.name = name
        self.category = category
        self.county = county
        self.address = address
        self.manager = manager
    }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let id: String? = fields.required(.id)
        let name: String? = fields.required(.name)
        let category: String? = fields.required(.category)
        let county: String? = fields.required(.county)
        let address: String? = fields.required(.address)
        let manager: Manager? = fields.required(.manager)
        (self.id, self.name, self.category, self.county, self.address, self.manager) =
            try fields.complete(id, name, category, county, address, manager)
    }
}

/// A site as the API shows it; `manager.webhook_url` is always present, null when none.
public struct SiteRepresentation: Codable, Sendable, Equatable {
    public struct Manager: Codable, Sendable, Equatable {
        public var name: String
        public var phone: String
        public var webhookURL: String?

        enum CodingKeys: String, CodingKey { case name, phone, webhookURL = "webhook_url" }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(phone, forKey: .phone)
            try container.encode(webhookURL, forKey: .webhookURL)
        }
    }

    public var id: String
    public var name: String
    public var category: SiteCategory
    public var county: String
    public var address: String
    public var manager: Manager
    /// The key that signs the site's webhook notices (64 hex digits): in the creation answer only, and in
    /// the answer of a rotation, never again.
    public var webhookSecret: String?

    enum CodingKeys: String, CodingKey {
        case id, name, category, county, address, manager, webhookSecret = "webhook_secret"
    }

    public init(_ site: Site, webhookSecret: String? = nil) {
        self.webhookSecret = webhookSecret
        id = site.id
        name = site.name
        category = site.category
        county = site.county
        address = site.address
        manager = Manager(name: site.manager.name, phone: site.manager.phone, webhookURL: site.manager.webhookURL)
    }
}

/// `GET /api/v1/sites/{id}/notifications`: the site's notices, newest first, each with every attempt.
public struct SiteNotificationList: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var delivery: String
        public var kind: String
        public var serial: String
        public var subject: String
        public var occurredAt: Date
        public var queuedAt: Date
        public var state: String
        public var deliveredAt: Date?
        public var attempts: [NotificationAttempt]

        enum CodingKeys: String, CodingKey {
            case delivery, kind, serial, subject, occurredAt = "occurred_at", queuedAt = "queued_at", state
            case deliveredAt = "delivered_at", attempts
        }

        public init(_ notification: SiteNotification, attempts: [NotificationAttempt]) {
            delivery = notification.key
            kind = notification.kind.rawValue
            serial = notification.serial.rawValue
            subject = notification.subject
            occurredAt = notification.occurredAt
            queuedAt = notification.createdAt
            state = notification.state.rawValue
            deliveredAt = notification.deliveredAt
            self.attempts = attempts
        }
    }

    public var site: String
    public var notifications: [Entry]

    public init(site: String, notifications: [Entry]) {
        self.site = site
        self.notifications = notifications
    }
}

/// `GET /api/v1/sites`.
public struct SiteList: Codable, Sendable, Equatable {
    public var sites: [SiteRepresentation]

    public init(sites: [SiteRepresentation]) { self.sites = sites }
}
