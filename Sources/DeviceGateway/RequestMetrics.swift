import CoAPTransport
import Metrics

/// Requests by resource and response code, as swift-metrics counters. Used on the loop thread only, so
/// the cache needs no lock; the counters themselves are thread-safe for the exporter.
final class RequestMetrics {
    private struct Key: Hashable {
        let resource: String
        let code: Int
    }

    private var counters: [Key: Counter] = [:]

    func count(_ resource: String, _ code: CoAPCode) {
        let key = Key(resource: resource, code: code.rawValue)
        if let counter = counters[key] {
            counter.increment()
            return
        }
        let counter = Counter(label: "breakerfleet_coap_requests_total",
                              dimensions: [("resource", resource), ("code", code.description)])
        counters[key] = counter
        counter.increment()
    }
}
