import Metrics
import Synchronization

/// What the transport counts: kept here for tests and the benchmark, and reported through swift-metrics
/// (Prometheus at `/metrics` once the process bootstraps a metrics backend).
public final class TransportStatistics: Sendable {
    private let handshakes = Atomic<Int>(0)
    private let handshakeFailures = Atomic<Int>(0)
    private let sessions = Atomic<Int>(0)
    private let handshakeCounter = Counter(label: "breakerfleet_dtls_handshakes_total")
    private let failureCounter = Counter(label: "breakerfleet_dtls_handshake_failures_total")
    private let sessionGauge = Gauge(label: "breakerfleet_coap_sessions_open")
    private let notifications = Atomic<Int>(0)
    private let notificationFailures = Atomic<Int>(0)
    private let notificationCounter = Counter(label: "breakerfleet_coap_notifications_total")
    private let notificationFailureCounter = Counter(label: "breakerfleet_coap_notification_failures_total")

    public init() {}

    public var completedHandshakes: Int { handshakes.load(ordering: .relaxed) }
    public var failedHandshakes: Int { handshakeFailures.load(ordering: .relaxed) }
    public var openSessions: Int { sessions.load(ordering: .relaxed) }
    public var sentNotifications: Int { notifications.load(ordering: .relaxed) }
    public var failedNotifications: Int { notificationFailures.load(ordering: .relaxed) }

    func notificationSent() {
        notifications.add(1, ordering: .relaxed)
        notificationCounter.increment()
    }

    func notificationFailed() {
        notificationFailures.add(1, ordering: .relaxed)
        notificationFailureCounter.increment()
    }

    func handshakeCompleted() {
        handshakes.add(1, ordering: .relaxed)
        handshakeCounter.increment()
    }

    func handshakeFailed() {
        handshakeFailures.add(1, ordering: .relaxed)
        failureCounter.increment()
    }

    func sessionOpened() {
        let open = sessions.add(1, ordering: .relaxed).newValue
        sessionGauge.record(open)
    }

    func sessionClosed() {
        let open = sessions.subtract(1, ordering: .relaxed).newValue
        sessionGauge.record(open)
    }
}
