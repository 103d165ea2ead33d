import FleetTesting
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The test harness itself: a port taken between picking it and the server binding it (another test, another
/// program) must cost a retry on new ports, not a failed test.
final class ServerProcessTests: XCTestCase {
    func testAPortTakenBeforeTheStartIsReplacedByAnother() async throws {
        let pki = try TestPKI()
        defer { pki.remove() }
        let server = ServerProcess(pki: pki)
        let taken = server.coapsPort
        // Somebody else binds the UDP port the server was about to use.
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = taken.bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(bound, 0, "the test holds the port")

        try await server.start()
        XCTAssertNotEqual(server.coapsPort, taken, "started on another port")
        XCTAssertTrue(server.log.contains("(in use?)"), "the first attempt failed on the taken port")
        let time = try CoAPClient(device: try pki.device("BRK-PORT-1")).send("GET", "\(server.coapsURI)/v1/time")
        XCTAssertEqual(time.code, "2.05", "\(time)")
        try await server.stop()
    }
}
