import BreakerSimulation
import CoAPTransport
import FleetDomain
import Foundation

/// One simulated breaker on its DTLS session: feeds the model what the server pushes, steps it on a
/// timer, and sends whatever it wants sent. Confined to the session's loop thread; the summary reads it
/// after the engine has shut down (hence `@unchecked Sendable`).
final class SimulatedDevice: @unchecked Sendable {
    private(set) var breaker: SimulatedBreaker
    let control: RunControl
    let tick: Double
    private(set) var tally = LoadTally()
    private(set) var rejectedBodies = 0
    /// Certificates renewed over EST, and renewals that failed.
    private(set) var renewals = (succeeded: 0, failed: 0)

    let reportLog: ReportLog?
    /// The certificate it connects with, for renewal (nil: PSK or unknown validity).
    let identity: SimulatedIdentity?

    init(breaker: SimulatedBreaker, control: RunControl, tick: Double, reportLog: ReportLog? = nil, identity: SimulatedIdentity? = nil) {
        self.identity = identity
        self.breaker = breaker
        self.control = control
        self.tick = tick
        self.reportLog = reportLog
    }

    static func now() -> Double { Date().timeIntervalSince1970 }

    /// Registers; on success observes the three pushed resources, starts ticking and reports ready.
    func start(on session: CoAPClientSession) {
        send(breaker.registration(), on: session) { [self] ok in
            guard ok else {
                control.failedToConnect.add(1, ordering: .relaxed)
                return
            }
            control.ready.add(1, ordering: .relaxed)
            renewIfDue(on: session)
            observe("/v1/profile", on: session) { .profileBody($0) }
            observe("/v1/commands", on: session) { .commandsBody($0) }
            observe("/v1/firmware", on: session) { .firmwareBody($0) }
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
            for message in breaker.tick(now: Self.now()) { send(message, on: session) }
            schedule(on: session)
        }
    }

    private func observe(_ path: String, on session: CoAPClientSession, as incoming: @escaping ([UInt8]) -> Incoming) {
        session.observe(path) { [self] result in
            guard case .success(let response) = result else { return record(result) }
            record(result)
            guard response.code == .content else { return }
            do {
                for message in try breaker.receive(incoming(response.payload), now: Self.now()) { send(message, on: session) }
            } catch {
                rejectedBodies += 1
            }
        }
    }

    private func send(_ message: Outgoing, on session: CoAPClientSession, then: ((Bool) -> Void)? = nil) {
        let method: CoAPMethod = message.method == .put ? .put : .post
        let request = CoAPClientRequest(
            method, segments: message.pathSegments,
            contentFormat: ContentFormat(rawValue: message.contentFormat.rawValue), payload: message.body)
        session.send(request) { [self] result in
            record(result)
            if case .success(let response) = result, response.code.isSuccess, case .profileReport(let report) = message.kind {
                reportLog?.acknowledged(report, serial: breaker.configuration.serial, at: Self.now())
            }
            if case .success(let response) = result { then?(response.code.isSuccess) } else { then?(false) }
        }
    }

    private func record(_ result: CoAPClientResult) {
        switch result {
        case .success(let response): tally.count(response.code, measured: false)
        case .failure(let failure): tally.count(failure, measured: false)
        }
    }
}
