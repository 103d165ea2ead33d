import Foundation

/// What one step of a commands run measured, printed as one JSON line (`--json`, for scripts/bench) or
/// a few lines of text. Latencies are milliseconds from just before the API call, on this process's
/// monotonic clock: to the device's receipt, to the 2.04 for its `done` (the server journaled the
/// result), and to the first API answer showing `done` (polled every `--poll-interval` ms after the 2.04: an
/// upper bound on when the result was recorded, within about one poll).
struct CommandPhaseReport: Encodable {
    var phase: String
    /// Devices connected and observing.
    var devices: Int
    /// The issuing window (issue) or the API call to the last result (site trip); the ramp-up (connected).
    var seconds: Double
    var issued = 0
    /// Commands the API refused (issue) or the site trip left out, with why in `failures`.
    var refused = 0
    var received = 0
    var acknowledged = 0
    var recorded = 0
    var apiMs: LoadReport.Latency?
    var receiptMs: LoadReport.Latency?
    var resultMs: LoadReport.Latency?
    var recordedMs: LoadReport.Latency?
    /// Site trip: from the API call to the last device's receipt, result, and the store showing all done.
    var lastReceiptMs: Double?
    var lastResultMs: Double?
    var allRecordedMs: Double?
    var failures: [String: Int] = [:]

    init(phase: String, devices: Int, seconds: Double) {
        self.phase = phase
        self.devices = devices
        self.seconds = seconds
    }

    /// Fills the counts and latencies from the timings of `ids` (commands this process issued).
    mutating func measure(_ entries: [CommandTimings.Entry]) {
        issued = entries.count
        func sample(_ end: KeyPath<CommandTimings.Entry, UInt64?>, from start: KeyPath<CommandTimings.Entry, UInt64?> = \.called) -> [Double] {
            entries.compactMap { milliseconds(from: $0[keyPath: start], to: $0[keyPath: end]) }
        }
        let receipts = sample(\.received), results = sample(\.acknowledged), records = sample(\.recorded)
        received = receipts.count
        acknowledged = results.count
        recorded = records.count
        apiMs = Self.latency(sample(\.answered))
        receiptMs = Self.latency(receipts)
        resultMs = Self.latency(results)
        recordedMs = Self.latency(records)
        if issued > received { failures["not_received", default: 0] += issued - received }
        if received > acknowledged { failures["result_not_acknowledged", default: 0] += received - acknowledged }
        for entry in entries { if let failure = entry.resultFailure { failures["result_\(failure.prefix(40))", default: 0] += 1 } }
    }

    static func latency(_ milliseconds: [Double]) -> LoadReport.Latency? {
        LoadReport.Latency(micros: milliseconds.map { UInt32(clamping: Int(($0 * 1000).rounded())) })
    }

    func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    func text() -> String {
        var lines = ["\(phase): \(devices) devices, \(String(format: "%.2f", seconds)) s, \(issued) issued, \(refused) refused, \(received) received, \(acknowledged) done, \(recorded) recorded"]
        for (name, latency) in [("API call", apiMs), ("to receipt", receiptMs), ("to result", resultMs), ("to recorded", recordedMs)] {
            guard let latency else { continue }
            lines.append("  \(name) ms: " + String(format: "p50 %.2f  p90 %.2f  p99 %.2f  max %.2f", latency.p50, latency.p90, latency.p99, latency.max))
        }
        for (name, value) in [("last receipt", lastReceiptMs), ("last result", lastResultMs), ("all recorded", allRecordedMs)] {
            if let value { lines.append("  \(name): " + String(format: "%.1f ms after the call", value)) }
        }
        if !failures.isEmpty { lines.append("  failures: " + failures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "  ")) }
        return lines.joined(separator: "\n")
    }
}
