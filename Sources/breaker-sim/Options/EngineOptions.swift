import ArgumentParser
import CoAPTransport

/// How the client engine is laid out (design.md: client-side costs). The defaults suit this 2-core
/// machine: one loop thread, a context per 16 sessions.
struct EngineOptions: ParsableArguments {
    @Option(help: "Client loop threads.")
    var loops = 1

    @Option(help: "libcoap contexts in all (0: one per 16 sessions, at most 64).")
    var contexts = 0

    @Option(name: .customLong("ack-timeout"), help: "Seconds before a confirmable request is retransmitted (at least 1).")
    var ackTimeout = 2.0

    @Option(name: .customLong("max-retransmit"), help: "Retransmissions before a request counts as a timeout.")
    var maxRetransmit = 4

    @Option(name: .customLong("connect-concurrency"), help: "Handshakes in progress at once while ramping up (the server accepts 100).")
    var connectConcurrency = 50

    func validate() throws {
        guard (1...16).contains(loops) else { throw ValidationError("--loops must be 1…16, got \(loops)") }
        guard (0...1024).contains(contexts) else { throw ValidationError("--contexts must be 0…1024, got \(contexts)") }
        guard ackTimeout >= 1 else { throw ValidationError("--ack-timeout must be at least 1 s (libcoap ignores less), got \(ackTimeout)") }
        guard (0...10).contains(maxRetransmit) else { throw ValidationError("--max-retransmit must be 0…10, got \(maxRetransmit)") }
        guard (1...1000).contains(connectConcurrency) else {
            throw ValidationError("--connect-concurrency must be 1…1000, got \(connectConcurrency)")
        }
    }

    func configuration(sessions: Int, nstart: Int) -> CoAPClientConfiguration {
        let total = contexts > 0 ? contexts : min(64, max(1, (sessions + 15) / 16))
        return CoAPClientConfiguration(
            loops: loops, contextsPerLoop: max(1, (total + loops - 1) / loops), nstart: nstart,
            ackTimeout: ackTimeout, maxRetransmit: maxRetransmit)
    }
}
