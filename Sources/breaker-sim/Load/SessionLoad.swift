import CoAPTransport

/// One session's part of a load run: keeps `inFlight` requests going and counts what comes back.
/// Confined to the session's loop thread while the engine runs; read by the main task only after the
/// engine has shut down (hence `@unchecked Sendable`).
final class SessionLoad: @unchecked Sendable {
    let request: CoAPClientRequest
    let window: Int
    let control: RunControl
    private(set) var tally = LoadTally()
    private var inFlight = 0
    private var completion: ((CoAPClientResult) -> Void)?

    init(request: CoAPClientRequest, window: Int, control: RunControl) {
        self.request = request
        self.window = window
        self.control = control
    }

    /// Fills the window; each completion records itself and sends the next request.
    func start(on session: CoAPClientSession) {
        // One closure per session, reused for every request (no allocation per request).
        completion = { [unowned self, unowned session] result in
            self.inFlight -= 1
            self.control.inFlight.subtract(1, ordering: .relaxed)
            self.record(result)
            self.pump(session)
        }
        pump(session)
    }

    var isIdle: Bool { inFlight == 0 }

    private func pump(_ session: CoAPClientSession) {
        guard let completion, session.state == .connected else { return }
        while inFlight < window && !control.isStopping {
            inFlight += 1
            control.inFlight.add(1, ordering: .relaxed)
            tally.sent += 1
            session.send(request, completion: completion)
        }
    }

    private func record(_ result: CoAPClientResult) {
        let measured = control.measure(at: monotonicNanoseconds())
        switch result {
        case .success(let response):
            tally.count(response.code, measured: measured)
            if measured { tally.latenciesMicros.append(UInt32(clamping: response.latencyNanoseconds / 1000)) }
        case .failure(let failure):
            tally.count(failure, measured: measured)
        }
    }
}

/// Counts of a run (one session's, or all of them merged).
struct LoadTally: Sendable {
    var sent = 0
    var completed = 0
    var measured = 0
    var classes: [Int: Int] = [:]          // 2, 4, 5 → responses (all, not only measured)
    var failures: [String: Int] = [:]      // timeout, reset, tls, not_delivered, closed
    var latenciesMicros: [UInt32] = []     // measured responses only

    mutating func count(_ code: CoAPCode, measured: Bool) {
        completed += 1
        if measured { self.measured += 1 }
        classes[code.rawValue / 100, default: 0] += 1
    }

    mutating func count(_ failure: CoAPClientFailure, measured: Bool) {
        completed += 1
        failures[Self.name(failure), default: 0] += 1
    }

    mutating func merge(_ other: LoadTally) {
        sent += other.sent
        completed += other.completed
        measured += other.measured
        classes.merge(other.classes, uniquingKeysWith: +)
        failures.merge(other.failures, uniquingKeysWith: +)
        latenciesMicros += other.latenciesMicros
    }

    static func name(_ failure: CoAPClientFailure) -> String {
        switch failure {
        case .timeout: "timeout"
        case .reset: "reset"
        case .tlsFailed: "tls"
        case .notDelivered: "not_delivered"
        case .closed: "closed"
        }
    }
}
