import CoAPTransport
import Foundation

/// One device of the commands mode: registers, observes `/v1/commands`, and for each command id it has
/// not seen notes the receipt time and reports `done` at once (no breaker model: the point is the
/// server's delivery path, and a model's work would only add to what is measured). Confined to its
/// session's loop thread.
final class CommandReceiver: @unchecked Sendable {
    let serial: String
    private let timings: CommandTimings
    private let control: RunControl
    private let heartbeat: Double
    private var seen: Set<String> = []
    /// Where the breaker is after the commands executed so far, for the `breaker` of each result.
    private var open = false
    /// Set once the first answer to the observation came: only then is the device ready to be commanded.
    private(set) var observing = false

    init(serial: String, timings: CommandTimings, control: RunControl, heartbeat: Double) {
        self.serial = serial
        self.timings = timings
        self.control = control
        self.heartbeat = heartbeat
    }

    /// Registers, then observes; counts the session ready (or failed) when the observation answers.
    func start(on session: CoAPClientSession, registration: [UInt8]) {
        session.send(CoAPClientRequest(.post, "/v1/register", contentFormat: .json, payload: registration)) { [self] result in
            guard case .success(let response) = result, response.code.isSuccess else {
                control.failedToConnect.add(1, ordering: .relaxed)
                return Progress.line("\(serial): register failed: \(IngestRun.describe(result))")
            }
            session.observe("/v1/commands") { [self] result in self.notified(result, on: session) }
        }
    }

    private func notified(_ result: CoAPClientResult, on session: CoAPClientSession) {
        let now = monotonicNanoseconds()
        guard case .success(let response) = result, response.code == .content else {
            if !observing {
                control.failedToConnect.add(1, ordering: .relaxed)
                Progress.line("\(serial): observing /v1/commands failed: \(IngestRun.describe(result))")
            }
            return
        }
        if !observing {
            observing = true
            control.ready.add(1, ordering: .relaxed)
            timings.observes(serial)
            scheduleHeartbeat(on: session, first: true)
        }
        guard let listed = try? JSONDecoder().decode([Listed].self, from: Data(response.payload)) else {
            return Progress.line("\(serial): unreadable command list: \(response.text.prefix(200))")
        }
        for command in listed where seen.insert(command.id).inserted {
            timings.update(command.id) { $0.received = now }
            execute(command, on: session)
        }
    }

    private func execute(_ command: Listed, on session: CoAPClientSession) {
        switch command.action {
        case "trip": open = true
        case "reset": open = false
        default: break
        }
        let body = #"{"result":"done","breaker":"\#(open ? "open" : "closed")"}"#
        // The id as one Uri-Path segment, whatever it contains.
        let request = CoAPClientRequest(.post, segments: ["v1", "commands", command.id], contentFormat: .json, payload: Array(body.utf8))
        session.send(request) { [timings] result in
            let now = monotonicNanoseconds()
            if case .success(let response) = result, response.code.isSuccess {
                timings.update(command.id) { $0.acknowledged = now }
            } else {
                timings.update(command.id) { $0.resultFailure = IngestRun.describe(result) }
            }
        }
    }

    /// An idle DTLS session is dropped by the server after 300 s; a long run keeps its devices connected
    /// with a heartbeat, spread over the interval so 10 000 devices do not all send at once.
    private func scheduleHeartbeat(on session: CoAPClientSession, first: Bool) {
        let delay = first ? Double.random(in: 0..<heartbeat) : heartbeat
        session.schedule(after: delay) { [self] session in
            guard session.state == .connected, !control.isInterrupted else { return }
            session.send(CoAPClientRequest(.post, "/v1/heartbeat")) { _ in }
            scheduleHeartbeat(on: session, first: false)
        }
    }

    /// What a notification lists of each command (spec/device-api.md, "Commands").
    private struct Listed: Decodable {
        let id: String
        let action: String
    }
}
