import FleetDomain
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Empties the store's notification outbox: every `interval` it takes the due notices (holding them with a
/// lease, so another sender or node does not post them too), posts each to its site's webhook, signed
/// (`WebhookSignature`), and records the attempt: delivered on a 2xx, else retried with `WebhookBackoff`.
/// It runs beside ingest and never blocks it: the outbox is filled inside ingest's own transaction.
public final class WebhookDispatcher: Service, Sendable {
    let store: any FleetStore
    let transport: any WebhookTransport
    let policy: WebhookPolicy
    let clock: any WallClock
    let timer: any Clock<Duration>
    let interval: Duration
    let logger: Logger
    static let batch = 32
    static let timeout: TimeInterval = 5
    static let lease: TimeInterval = 30

    public init(store: any FleetStore, transport: any WebhookTransport = URLSessionWebhookTransport(), policy: WebhookPolicy,
                clock: any WallClock, timer: any Clock<Duration>, interval: Duration = .milliseconds(200), logger: Logger) {
        self.store = store
        self.transport = transport
        self.policy = policy
        self.clock = clock
        self.timer = timer
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await self.timer.sleep(for: self.interval) }
            } catch {
                return
            }
            do {
                try await sendDue()
            } catch {
                logger.error("webhook outbox failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// One round: claims what is due and posts it, a few at a time.
    public func sendDue() async throws {
        let now = clock.now()
        let due = try await store.claimDueNotifications(at: now, limit: Self.batch, leaseUntil: now.addingTimeInterval(Self.lease))
        guard !due.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            for notification in due {
                group.addTask { await self.deliver(notification) }
            }
        }
    }

    private func deliver(_ notification: SiteNotification) async {
        let started = clock.now()
        if notification.attempts == 0 {
            Metrics.Timer(label: "breakerfleet_webhook_first_attempt_seconds")
                .recordNanoseconds(Int64(max(0, started.timeIntervalSince(notification.createdAt)) * 1e9))
        }
        var status: Int?
        var failure: String?
        do {
            status = try await post(notification, at: started)
            if let status, !(200..<300).contains(status) { failure = "HTTP \(status)" }
        } catch let refusal as WebhookRefusal {
            failure = refusal.message
        } catch {
            failure = "\(error)"
        }
        let finished = clock.now()
        let attempt = NotificationAttempt(key: notification.key, at: started, duration: finished.timeIntervalSince(started),
                                          status: status, error: failure)
        let state: SiteNotification.State
        let next: Date
        if attempt.succeeded {
            (state, next) = (.delivered, finished)
        } else if finished.timeIntervalSince(notification.createdAt) >= WebhookBackoff.giveUpAfter {
            (state, next) = (.abandoned, finished)
        } else {
            (state, next) = (.pending, finished.addingTimeInterval(WebhookBackoff.delay(afterAttempt: notification.attempts + 1)))
        }
        Counter(label: "breakerfleet_webhook_attempts_total", dimensions: [("result", attempt.succeeded ? "delivered" : "failed")]).increment()
        do {
            try await store.recordAttempt(attempt, state: state, nextAttemptAt: next)
        } catch {
            logger.error("could not record a webhook attempt", metadata: ["notification": "\(notification.key)", "error": "\(error)"])
        }
        if !attempt.succeeded {
            logger.warning("webhook attempt failed", metadata: [
                "notification": "\(notification.key)", "site": "\(notification.siteID)", "error": "\(failure ?? "")"])
        }
    }

    /// Builds, signs and posts the notice; the HTTP status.
    private func post(_ notification: SiteNotification, at now: Date) async throws -> Int {
        guard let site = try await store.site(notification.siteID) else { throw WebhookRefusal("site \(notification.siteID) no longer exists") }
        guard let address = site.manager.webhookURL else { throw WebhookRefusal("site \(site.id) has no webhook_url any more") }
        if let refusal = policy.refusal(of: address) { throw WebhookRefusal(refusal) }
        guard let url = URL(string: address) else { throw WebhookRefusal("\(address) is not a URL") }
        guard let secret = try await store.webhookSecret(of: site.id) else {
            throw WebhookRefusal("site \(site.id) has no webhook secret: run `breakerfleet site rotate-secret \(site.id)`")
        }
        let circuit = try await store.assignment(of: notification.serial)?.circuit
        let body = try WebhookNotice(notification, site: site, circuit: circuit).encoded()
        let timestamp = Int64(now.timeIntervalSince1970)
        let headers = [
            "Content-Type": "application/json",
            WebhookSignature.timestampHeader: String(timestamp),
            WebhookSignature.signatureHeader: WebhookSignature.sign(body: body, timestamp: timestamp, secret: secret),
            WebhookSignature.deliveryHeader: notification.key,
        ]
        return try await transport.post(body, to: url, headers: headers, timeout: Self.timeout)
    }
}

/// A notice that cannot be posted as things stand (the message is recorded with the attempt).
struct WebhookRefusal: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
