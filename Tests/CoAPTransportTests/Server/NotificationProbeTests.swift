@testable import CoAPTransport
import FleetPKI
import FleetTesting
import Foundation
import Logging
import Synchronization
import XCTest

/// A confirmable notification's `acknowledged` callback over real DTLS, against libcoap's own client
/// engine: true once the device acknowledged it (learnt through the probe), false when it answers RST.
final class NotificationProbeTests: XCTestCase {
    private var pki: TestPKI!
    private var server: CoAPServer!
    private var engine: CoAPClientEngine!
    private let outcomes = LockedValue<[Bool]>([])
    private let received = LockedValue(0)
    private let serial = "BRK-PROBE-0001"

    override func setUp() async throws {
        pki = try TestPKI()
        let port = FreePort.udp()
        server = try CoAPServer(
            configuration: .init(
                secure: .init(host: "127.0.0.1", port: port),
                credentials: .init(certificateDER: pki.loaded.server.certificateDER, privateKeyDER: pki.loaded.server.privateKeyDER,
                                   trustAnchorsDER: pki.loaded.trustedCAsDER)),
            logger: Logger(label: "probe-test"))
        server.addResource("state", observable: true) { [outcomes] request in
            var answer = CoAPResponse(.content, payload: Array("on".utf8))
            if request.isNotification {
                answer.acknowledged = { _, delivered in outcomes.withLock { $0.append(delivered) } }
            }
            return answer
        }
        try server.start()
        engine = try CoAPClientEngine(configuration: .init(ackTimeout: 1))
        try engine.start()
        let device = try pki.device(serial)
        let credentials = try CoAPClientCredentials(
            certificatePEM: device.certificateURL, privateKeyPEM: device.keyURL, serverAuthorityPEM: device.caURL)
        let connected = LockedValue<CoAPClientSession?>(nil)
        engine.connect(to: .init(host: "127.0.0.1", port: port), credentials: credentials) { [received] session, event in
            guard event == .connected else { return }
            session.observe("/state") { result in
                if case .success = result { received.withLock { $0 += 1 } }
            }
            connected.withLock { $0 = session }
        }
        try await Deadline.wait("the observation's first answer", timeout: 15) { self.received.withLock { $0 } == 1 }
        session = try XCTUnwrap(connected.withLock { $0 })
    }

    private var session: CoAPClientSession!

    override func tearDown() async throws {
        engine?.shutdown()
        server?.stop()
        pki?.remove()
    }

    private func onLoop<T: Sendable>(_ body: @escaping @Sendable (ServerLoop) -> T) async -> T {
        let loop = server.loop
        return await withCheckedContinuation { continuation in loop.perform { continuation.resume(returning: body(loop)) } }
    }

    func testAnAcknowledgedNotificationIsReportedDelivered() async throws {
        server.notifyObservers(of: "state", peers: [serial])
        try await Deadline.wait("the acknowledgement", timeout: 10) { self.outcomes.withLock { $0 } == [true] }
        XCTAssertEqual(received.withLock { $0 }, 2, "the device got the notification")
        let tracked = await onLoop { $0.acknowledgements.trackedSessions }
        XCTAssertEqual(tracked, 0, "nothing left undecided")
        let observing = await onLoop { $0.observations.count }
        XCTAssertEqual(observing, 1, "the probe's RST (an empty token) ended no observation")
    }

    func testTwoNotificationsInARowAreBothReportedDelivered() async throws {
        server.notifyObservers(of: "state", peers: [serial])
        try await Deadline.wait("the first acknowledgement", timeout: 10) { self.outcomes.withLock { $0 } == [true] }
        server.notifyObservers(of: "state", peers: [serial])
        // The second probe may meet libcoap's limit of one RST to a ping per 250 ms and be retransmitted.
        try await Deadline.wait("the second acknowledgement", timeout: 15) { self.outcomes.withLock { $0 } == [true, true] }
    }

    func testANotificationTheDeviceResetsIsReportedNotDeliveredAndEndsTheObservation() async throws {
        session.perform { $0.forgetObservations() }
        server.notifyObservers(of: "state", peers: [serial])
        try await Deadline.wait("the refusal", timeout: 10) { self.outcomes.withLock { $0 } == [false] }
        try await Deadline.wait("the observation to end", timeout: 5) { await self.onLoop { $0.observations.count } == 0 }
    }

    func testOnlyTheRSTOfAProbeInFlightIsKeptOutOfTheLog() async throws {
        let session = CoAPSessionHandle(number: 999_999)
        let swallowed = await onLoop { loop in
            _ = loop.acknowledgements.sent(0x1233, on: session) { _, _ in }
            loop.acknowledgements.probeSent(0x1234, on: session)
            defer { _ = loop.acknowledgements.sessionEnded(session) }
            return ["got RST for mid=0x1234\n", "got RST for mid=0x1235\n", "something else"].map { line in
                line.withCString { ProbeResetLog.swallows($0) }
            }
        }
        XCTAssertEqual(swallowed, [true, false, false])
    }
}
