import Foundation

/// The newest trip a device reported that nothing has cleared since, from what it reported and what it was
/// told: the short-circuit interlock needs to know whether the breaker is still open after a short circuit.
public enum UnclearedTrip {
    /// `events` newest first; `latest` the device's latest measurements (`trip_cause`, `breaker`);
    /// `resets` its done reset commands. A trip is cleared by a later `reset` event, a reset command done
    /// after it, or a `breaker` reading of `closed` taken after it.
    public static func find(events: [StoredEvent], latest: [Measurement], resets: [Command]) -> (cause: String, at: Date)? {
        for event in events {
            let report = event.report
            if report.type == .reset { return nil }
            guard report.action == .tripped || report.type == .trip else { continue }
            let at = Date(timeIntervalSince1970: Double(report.at))
            // A bare `trip` event names no cause; the telemetry's `trip_cause` does.
            let cause = report.type == .trip
                ? latest.first { $0.name == "trip_cause" }?.stringValue ?? EventType.trip.rawValue
                : report.type.rawValue
            let closedSince = latest.contains { $0.name == "breaker" && $0.stringValue == "closed" && $0.time > at.timeIntervalSince1970 }
            let resetSince = resets.contains { reset in
                reset.state == .done && (reset.lifecycle.transitions.last?.at ?? .distantPast) > at
            }
            return closedSince || resetSince ? nil : (cause, at)
        }
        return nil
    }
}
