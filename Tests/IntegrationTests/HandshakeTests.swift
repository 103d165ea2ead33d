import FleetTesting
import Foundation
import XCTest

/// Certificates the fleet must refuse at the DTLS handshake, before any request is read.
final class HandshakeTests: ServerTestCase {
    private func assertRefused(_ client: CoAPClient, _ why: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try client.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50, timeout: 3)
        XCTAssertNil(result.code, "\(why): expected no CoAP answer, got \(result)", file: file, line: line)
        XCTAssertFalse(result.payload.contains("state"), "\(why): \(result)", file: file, line: line)
        // Refused by the handshake itself (a DTLS alert), not merely unanswered: a slow server would pass otherwise.
        XCTAssertNotNil(result.dtlsAlert, "\(why): no DTLS alert in \(result.output)", file: file, line: line)
    }

    private func handshakeFailures() async throws -> Double {
        let metrics = try await admin.get("/metrics").text
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("breakerfleet_dtls_handshake_failures_total") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    func testAForeignCAExpiredCertificateAndNoCertificateAreAllRefused() async throws {
        try await provisionedClient("BRK-0100").send("GET", uri("/v1/time")).code.map { XCTAssertEqual($0, "2.05") }

        try assertRefused(CoAPClient(device: try pki.foreignDevice("BRK-0101")), "foreign CA")
        let expired = try pki.device("BRK-0102", notValidAfter: Date().addingTimeInterval(-3600),
                                     notValidBefore: Date().addingTimeInterval(-86400))
        try assertRefused(CoAPClient(device: expired), "expired certificate")
        let notYetValid = try pki.device("BRK-0103", notValidBefore: Date().addingTimeInterval(86400))
        try assertRefused(CoAPClient(device: notYetValid), "not yet valid certificate")
        try assertRefused(CoAPClient(device: nil), "no certificate")

        try await Deadline.wait("the refused handshakes in /metrics", timeout: 10) { try await self.handshakeFailures() >= 3 }
    }
}
