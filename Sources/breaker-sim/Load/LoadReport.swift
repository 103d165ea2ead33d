import Foundation

/// The result of a load run, printed as a table or as JSON (snake_case keys, for scripts/bench).
struct LoadReport: JSONReport {
    struct Latency: Encodable {
        let p50, p90, p99, max: Double   // milliseconds

        /// Nearest-rank percentiles of a sample (sorted here).
        init?(micros: [UInt32]) {
            guard !micros.isEmpty else { return nil }
            let sorted = micros.sorted()
            func rank(_ p: Double) -> Double {
                Double(sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]) / 1000
            }
            p50 = rank(0.50)
            p90 = rank(0.90)
            p99 = rank(0.99)
            max = Double(sorted[sorted.count - 1]) / 1000
        }
    }

    var mode: String
    var server: String
    var resource: String?
    var method: String?
    var payloadBytes: Int?
    var sessions: Int
    var inFlight: Int?
    var concurrency: Int?
    var sessionsReady: Int
    var sessionsFailed: Int
    var windowSeconds: Double
    /// Measured completions (in the window).
    var completed: Int
    /// Every successful operation of the run, warm-up and drain included (for server CPU per operation).
    var total: Int
    var throughputPerSecond: Double
    var latencyMs: Latency?
    var responses: [String: Int]
    var failures: [String: Int]
    /// Requests still unanswered when the run ended (they were given a short grace period).
    var unfinished: Int
    /// The load generator's own CPU per measured completion, in microseconds (is the client the bottleneck?).
    var clientCPUMicrosPerOperation: Double?

    func table() -> String {
        var rows: [(String, String)] = [("server", server)]
        if let resource, let method { rows.append(("request", "\(method) \(resource)" + (payloadBytes.map { ", \($0)-byte payload" } ?? ""))) }
        var shape = "\(sessions) sessions"
        if let inFlight { shape += " × \(inFlight) in flight" }
        if let concurrency { shape += ", \(concurrency) handshakes at once" }
        rows.append(("load", shape))
        rows.append(("sessions", "\(sessionsReady) ready, \(sessionsFailed) failed"))
        rows.append(("window", String(format: "%.2f s", windowSeconds)))
        rows.append((mode == "handshake" ? "handshakes" : "completed", "\(completed)"))
        rows.append(("throughput", String(format: "%.0f /s", throughputPerSecond)))
        if let latencyMs {
            rows.append(("latency ms", String(format: "p50 %.3f  p90 %.3f  p99 %.3f  max %.3f", latencyMs.p50, latencyMs.p90, latencyMs.p99, latencyMs.max)))
        }
        if !responses.isEmpty {
            rows.append(("responses", responses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "  ")))
        }
        let failureText = failures.isEmpty ? "none" : failures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "  ")
        rows.append(("failures", failureText))
        if mode != "handshake" { rows.append(("unfinished", "\(unfinished)")) }
        if let cpu = clientCPUMicrosPerOperation { rows.append(("client cpu", String(format: "%.1f µs per operation", cpu))) }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n")
    }

    static func responseClasses(_ classes: [Int: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: classes.map { ("\($0.key).xx", $0.value) })
    }
}

/// A summary printed with `--json`: snake_case keys, sorted, pretty-printed.
protocol JSONReport: Encodable {}

extension JSONReport {
    func json() -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
