import CoAPTransport
import Metrics

/// Requests by resource and response code, as swift-metrics counters. Each resource gets its own
/// `ResourceCounters` when the gateway installs it, so a request only looks its code up (a small integer)
/// instead of hashing the resource path. Used on the loop thread only, so the caches need no lock; the
/// counters themselves are thread-safe for the exporter.
final class RequestMetrics {
    private var resources: [String: ResourceCounters] = [:]

    /// The counters of one resource; fetch once and keep.
    func counters(for resource: String) -> ResourceCounters {
        if let known = resources[resource] { return known }
        let counters = ResourceCounters(resource: resource)
        resources[resource] = counters
        return counters
    }
}

/// The request counters of one resource, by response code.
final class ResourceCounters {
    let resource: String
    /// A resource answers with a handful of codes, so a linear scan beats hashing.
    private var byCode: [(code: Int, counter: Counter)] = []

    init(resource: String) {
        self.resource = resource
    }

    func count(_ code: CoAPCode) {
        if let known = byCode.first(where: { $0.code == code.rawValue }) {
            known.counter.increment()
            return
        }
        let counter = Counter(label: "breakerfleet_coap_requests_total",
                              dimensions: [("resource", resource), ("code", code.description)])
        byCode.append((code.rawValue, counter))
        counter.increment()
    }
}
