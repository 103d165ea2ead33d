import CoAPTransport
import FleetTesting
import Foundation
import XCTest

/// Observe through the client engine. BreakerFleet has no observable resource yet, so this runs against
/// libcoap's reference `coap-server-openssl`, whose `/time` is observable and sends confirmable
/// notifications (which the engine must acknowledge for them to keep coming).
final class ReferenceServerObserveTests: XCTestCase {
    func testObservingTimeDeliversTheFirstAnswerAndLaterNotifications() async throws {
        let executable = "/usr/bin/coap-server-openssl"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: executable), "libcoap3-bin is not installed")
        let pki = try TestPKI()
        defer { pki.remove() }
        // The reference listens for plain CoAP on -p and for DTLS on the port after it.
        let port = FreePort.udp()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-A", "127.0.0.1", "-p", "\(port)", "-c", pki.serverCertificateURL.path,
                             "-j", pki.serverKeyURL.path, "-R", try pki.trustBundleURL().path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // SIGKILL: a child spawned from a test thread inherits its blocked SIGTERM and would outlive the
        // test; Foundation's waitUntilExit can hang inside an async test, so nothing waits here.
        defer { kill(process.processIdentifier, SIGKILL) }

        let device = try pki.device("BRK-OBS-0001")
        let credentials = try CoAPClientCredentials(
            certificatePEM: device.certificateURL, privateKeyPEM: device.keyURL, serverAuthorityPEM: device.caURL)
        let engine = try CoAPClientEngine(configuration: .init(ackTimeout: 1))
        try engine.start()
        defer { engine.shutdown() }
        let recorder = ClientRecorder()
        let endpoint = CoAPClientEngine.Endpoint(host: "127.0.0.1", port: port + 1)
        try await Deadline.wait("the reference server to listen on \(port + 1)", timeout: 10) { Self.isBound(udpPort: port + 1) }
        engine.connect(to: endpoint, credentials: credentials) { session, event in
            recorder.record(event)
            guard event == .connected else { return }
            session.observe("/time") { result in
                if case .success(let response) = result { recorder.notify(response) }
            }
        }
        try await Deadline.wait("the first answer and two notifications", timeout: 15) {
            recorder.snapshot.notifications.count >= 3
        }
        let notifications = recorder.snapshot.notifications
        XCTAssertTrue(notifications.allSatisfy { $0.code == .content && $0.observe != nil }, "\(notifications)")
        let sequence = notifications.compactMap(\.observe)
        XCTAssertEqual(sequence, sequence.sorted(), "Observe numbers increase")
        XCTAssertFalse(notifications[0].payload.isEmpty)
    }

    /// True when something already listens on the loopback UDP port (our own bind fails).
    private static func isBound(udpPort port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result != 0 && errno == EADDRINUSE
    }
}
