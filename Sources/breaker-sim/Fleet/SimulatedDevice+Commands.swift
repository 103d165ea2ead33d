import BreakerSimulation
import CoAPTransport
import FleetDomain
import Foundation

// The device side of commands and contact: results reported until the server acknowledges them, `renew`
// carried out over EST, heartbeats when quiet, and `GET /v1/commands` whenever an answer says commands wait.
extension SimulatedDevice {
    /// Reports a command result (retried each tick until the server answers it: at least once), or runs
    /// the EST renewal a `renew` command asked for and then reports its result.
    func send(command message: Outgoing, on session: CoAPClientSession) {
        switch message.kind {
        case .renewal(let id):
            let folder = identity?.folder
            CertificateRenewer(folder: folder).renew(serial: breaker.serial.rawValue, on: session) { [self] renewed in
                if renewed { renewals.succeeded += 1 } else { renewals.failed += 1 }
                for result in breaker.renewalFinished(commandID: id, renewed: renewed) { send(command: result, on: session) }
            }
        case .commandResult(let id, let result):
            if !message.isRepeat { commandLog?.finished(id, result, serial: breaker.serial, at: Self.now()) }
            report(message, on: session)
        default:
            send(message, on: session)
        }
    }

    private func report(_ message: Outgoing, on session: CoAPClientSession) {
        let request = CoAPClientRequest(.post, segments: message.pathSegments, contentFormat: .json, payload: message.body)
        lastSentAt = Self.now()
        session.send(request) { [self] result in
            record(result)
            // Answered (2.04, or a 4.xx that a retry would not change): done. Lost, or 5.03: the result is
            // the device's to deliver, so it tries again.
            if case .success(let response) = result, response.code.rawValue < 500 { return }
            session.schedule(after: tick) { [self] session in
                guard session.state == .connected, !control.isStopping else { return }
                report(message, on: session)
            }
        }
    }

    /// `POST /v1/heartbeat` `{"uptime_s"}`: keeps a quiet device from looking offline.
    func sendHeartbeat(on session: CoAPClientSession) {
        heartbeats += 1
        lastSentAt = Self.now()
        let body = Array(#"{"uptime_s":\#(Int64(Self.now() - startedAt))}"#.utf8)
        session.send(CoAPClientRequest(.post, "/v1/heartbeat", contentFormat: .json, payload: body)) { [self] result in
            record(result)
            if case .success(let response) = result, response.code.isSuccess { learn(from: response, on: session) }
        }
    }

    /// Reads `heartbeat_s` and `pending_commands` of a registration or heartbeat answer; fetches the
    /// commands that wait (the observation may have lapsed, or the device was away when they came).
    func learn(from response: CoAPClientResponse, on session: CoAPClientSession) {
        struct Answer: Decodable {
            var heartbeatSeconds: Int?
            var pendingCommands: Int?
            enum CodingKeys: String, CodingKey {
                case heartbeatSeconds = "heartbeat_s"
                case pendingCommands = "pending_commands"
            }
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.payload)) else { return }
        if heartbeatOverride == nil, let seconds = answer.heartbeatSeconds, seconds > 0 { heartbeatSeconds = Double(seconds) }
        guard (answer.pendingCommands ?? 0) > 0 else { return }
        commandFetches += 1
        session.send(CoAPClientRequest(.get, "/v1/commands")) { [self] result in
            record(result)
            guard case .success(let list) = result, list.code == .content else { return }
            receive(.commandsBody(list.payload), on: session)
        }
    }
}
