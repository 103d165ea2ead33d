import BreakerSimulation
import CoAPTransport
import FleetDomain
import Foundation

/// One simulated breaker on its DTLS session: feeds the model what the server pushes, steps it on a
/// timer, and sends whatever it wants sent. Confined to the session's loop thread; the summary reads it
/// after the engine has shut down (hence `@unchecked Sendable`).
final class SimulatedDevice: @unchecked Sendable {
    var breaker: SimulatedBreaker
    let control: RunControl
    let tick: Double
    private(set) var tally = LoadTally()
    var rejectedBodies = 0
    /// Certificates renewed over EST, and renewals that failed.
    var renewals = (succeeded: 0, failed: 0)
    /// Heartbeats sent (`POST /v1/heartbeat`), and command lists fetched with a plain GET.
    var heartbeats = 0
    var commandFetches = 0

    let reportLog: ReportLog?
    let commandLog: CommandLog?
    /// The certificate it connects with, for renewal (nil: PSK or unknown validity).
    let identity: SimulatedIdentity?
    /// Seconds of quiet after which it sends a heartbeat: the server's `heartbeat_s`, unless overridden.
    var heartbeatSeconds: Double
    let heartbeatOverride: Double?
    /// When it last sent anything, and when it started (Unix seconds).
    var lastSentAt = 0.0
    let startedAt = SimulatedDevice.now()

    init(breaker: SimulatedBreaker, control: RunControl, tick: Double, reportLog: ReportLog? = nil, commandLog: CommandLog? = nil,
         identity: SimulatedIdentity? = nil, heartbeat: Double? = nil) {
        self.identity = identity
        self.breaker = breaker
        self.control = control
        self.tick = tick
        self.reportLog = reportLog
        self.commandLog = commandLog
        self.heartbeatOverride = heartbeat
        self.heartbeatSeconds = heartbeat ?? Double(Registration.defaultHeartbeat)
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    /// Registers; on success observes the three pushed resources, starts ticking and reports ready.
    func start(on session: CoAPClientSession) {
        send(breaker.registration(), on: session) { [self] response in
            guard let response, response.code.isSuccess else {
                control.failedToConnect.add(1, ordering: .relaxed)
                return
            }
            control.ready.add(1, ordering: .relaxed)
            renewIfDue(on: session)
            observe("/v1/profile", on: session) { .profileBody($0) }
            observe("/v1/commands", on: session) { .commandsBody($0) }
            observe("/v1/firmware", on: session) { .firmwareBody($0) }
            learn(from: response, on: session)
            schedule(on: session)
        }
    }

    /// Re-enrolls over EST when less than a fifth of the certificate's validity is left.
    private func renewIfDue(on session: CoAPClientSession) {
        guard let identity, let validity = identity.validity,
              CertificateRenewer.isDue(notBefore: validity.lowerBound, notAfter: validity.upperBound, at: Date()) else { return }
        CertificateRenewer(folder: identity.folder).renew(serial: identity.serial, on: session) { [self] renewed in
            if renewed { renewals.succeeded += 1 } else { renewals.failed += 1 }
        }
    }

    private func schedule(on session: CoAPClientSession) {
        session.schedule(after: tick) { [self] session in
            guard session.state == .connected, !control.isStopping else { return }
            let now = Self.now()
            for message in breaker.tick(now: now) { send(message, on: session) }
            if now - lastSentAt >= heartbeatSeconds { sendHeartbeat(on: session) }
            schedule(on: session)
        }
    }

    private func observe(_ path: String, on session: CoAPClientSession, as incoming: @escaping ([UInt8]) -> Incoming) {
        session.observe(path) { [self] result in
            guard case .success(let response) = result else { return record(result) }
            record(result)
            guard response.code == .content else { return }
            receive(incoming(response.payload), on: session)
        }
    }

    /// Hands the model what the server sent and sends what it answers.
    func receive(_ incoming: Incoming, on session: CoAPClientSession) {
        do {
            for message in try breaker.receive(incoming, now: Self.now()) { send(message, on: session) }
        } catch {
            rejectedBodies += 1
        }
    }

    /// Sends `message`; `then` hears the response (nil: none came). Command results and renewals are
    /// handled apart (`send(command:)`).
    func send(_ message: Outgoing, on session: CoAPClientSession, then: ((CoAPClientResponse?) -> Void)? = nil) {
        switch message.kind {
        case .commandResult, .renewal:
            return send(command: message, on: session)
        default:
            break
        }
        let method: CoAPMethod = message.method == .put ? .put : .post
        let request = CoAPClientRequest(
            method, segments: message.pathSegments,
            contentFormat: ContentFormat(rawValue: message.contentFormat.rawValue), payload: message.body)
        lastSentAt = Self.now()
        session.send(request) { [self] result in
            record(result)
            if case .success(let response) = result, response.code.isSuccess, case .profileReport(let report) = message.kind {
                reportLog?.acknowledged(report, serial: breaker.configuration.serial, at: Self.now())
            }
            if case .success(let response) = result { then?(response) } else { then?(nil) }
        }
    }

    func record(_ result: CoAPClientResult) {
        switch result {
        case .success(let response): tally.count(response.code, measured: false)
        case .failure(let failure): tally.count(failure, measured: false)
        }
    }
}
