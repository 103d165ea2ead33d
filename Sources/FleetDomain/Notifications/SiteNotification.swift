import Foundation

/// A notice to a site's manager (its webhook), kept in the store's outbox until the receiver acknowledged
/// it with a 2xx: durable across restarts, retried with backoff, every attempt recorded.
public struct SiteNotification: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A breaker tripped (the device's event).
        case trip
    }

    public enum State: String, Sendable, Codable, CaseIterable {
        case pending, delivered
        /// Retried for `WebhookBackoff.giveUpAfter` without success.
        case abandoned
    }

    /// Unique per fact: `trip:SERIAL:EVENT-ID`, so a journal replay never notifies twice.
    public var key: String
    public var siteID: String
    public var kind: Kind
    public var serial: Serial
    /// What happened, e.g. the event type `short_circuit`.
    public var subject: String
    public var phase: String?
    public var value: Double?
    /// When it happened (the device's time).
    public var occurredAt: Date
    /// When the server learnt it and queued the notice.
    public var createdAt: Date
    public var state: State
    public var attempts: Int
    public var nextAttemptAt: Date
    public var deliveredAt: Date?

    public init(key: String, siteID: String, kind: Kind, serial: Serial, subject: String, phase: String? = nil,
                value: Double? = nil, occurredAt: Date, createdAt: Date, state: State = .pending, attempts: Int = 0,
                nextAttemptAt: Date? = nil, deliveredAt: Date? = nil) {
        self.key = key
        self.siteID = siteID
        self.kind = kind
        self.serial = serial
        self.subject = subject
        self.phase = phase
        self.value = value
        self.occurredAt = occurredAt
        self.createdAt = createdAt
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt ?? createdAt
        self.deliveredAt = deliveredAt
    }
}

/// One POST of a notification to a webhook.
public struct NotificationAttempt: Sendable, Equatable, Codable {
    public var key: String
    public var at: Date
    /// Seconds from sending to the answer (or the failure).
    public var duration: Double
    /// The HTTP status, if an answer came.
    public var status: Int?
    /// Why it failed without an answer (refused connection, timeout, TLS), or what a non-2xx said.
    public var error: String?

    public init(key: String, at: Date, duration: Double, status: Int?, error: String?) {
        self.key = key
        self.at = at
        self.duration = duration
        self.status = status
        self.error = error
    }

    public var succeeded: Bool { status.map { (200..<300).contains($0) } ?? false }
}

/// When to try again: 1 s, 2 s, 4 s, … doubling up to 5 minutes between attempts, for at most 48 hours.
public enum WebhookBackoff {
    public static let first: TimeInterval = 1
    public static let ceiling: TimeInterval = 300
    public static let giveUpAfter: TimeInterval = 48 * 3600

    /// The wait after the `attempts`-th failed attempt (1-based).
    public static func delay(afterAttempt attempts: Int) -> TimeInterval {
        min(ceiling, first * pow(2, Double(max(0, min(attempts - 1, 20)))))
    }
}

/// The outbox of site notifications and the per-site secrets that sign them.
public protocol NotificationStore: Sendable {
    /// Takes up to `limit` pending notifications due by `now` that no sender holds, and holds them until
    /// `leaseUntil` (so two senders, or two nodes, never post the same one at once).
    func claimDueNotifications(at now: Date, limit: Int, leaseUntil: Date) async throws -> [SiteNotification]
    /// Records an attempt and the notification's state after it (releasing the hold).
    func recordAttempt(_ attempt: NotificationAttempt, state: SiteNotification.State, nextAttemptAt: Date) async throws
    /// Newest first.
    func notifications(siteID: String?, limit: Int) async throws -> [SiteNotification]
    /// Oldest first.
    func attempts(of key: String) async throws -> [NotificationAttempt]
    func webhookSecret(of siteID: String) async throws -> [UInt8]?
    func setWebhookSecret(_ secret: [UInt8], for siteID: String, at now: Date) async throws
}
