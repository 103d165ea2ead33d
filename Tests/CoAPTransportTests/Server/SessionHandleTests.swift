@testable import CoAPTransport
import Crypto
import FleetTesting
import Foundation
import Logging
import Synchronization
import SwiftASN1
import X509
import XCTest

/// Sessions are named by handles the loop looks up, never by libcoap pointers: a handle kept past its
/// session's end finds nothing, even when libcoap hands the freed memory to the next session.
final class SessionHandleTests: XCTestCase {
    private var server: CoAPServer!
    private var plainPort: UInt16 = 0
    private let seen = HandleLog()

    override func setUp() async throws {
        plainPort = FreePort.udp()
        let credentials = try Self.selfSignedCredentials()
        server = try CoAPServer(
            configuration: .init(
                secure: .init(host: "127.0.0.1", port: FreePort.udp()), plain: .init(host: "127.0.0.1", port: plainPort),
                credentials: credentials, sessionIdleTimeout: 1),
            logger: Logger(label: "test"))
        server.addResource("whoami") { [seen] request in
            seen.handles.withLock { $0.append(request.session) }
            return CoAPResponse(.content, payload: Array(request.session.description.utf8))
        }
        try server.start()
    }

    override func tearDown() async throws {
        server?.stop()
        server = nil
    }

    /// Runs `body` on the loop thread and returns its result.
    private func onLoop<T: Sendable>(_ body: @escaping @Sendable (ServerLoop) -> T) async -> T {
        let loop = server.loop
        return await withCheckedContinuation { continuation in
            loop.perform { continuation.resume(returning: body(loop)) }
        }
    }

    private func ask() throws -> CoAPSessionHandle {
        let client = RawCoAP(port: plainPort)
        let answer = try XCTUnwrap(client.request(method: 1, options: [.uriPath("whoami")]))
        XCTAssertEqual(answer.code, "2.05")
        return try XCTUnwrap(seen.handles.withLock { $0.last })
    }

    func testAHandleOfAClosedSessionFindsNothingAndIsNeverGivenAgain() async throws {
        let first = try ask()
        let firstIsLive = await onLoop { $0.session(first) != nil }
        XCTAssertTrue(firstIsLive)
        // The idle timeout (1 s) frees the session; libcoap may give its memory to the next one.
        try await Deadline.wait("the first session to be freed", timeout: 10) {
            await self.onLoop { $0.session(first) == nil }
        }
        let second = try ask()
        XCTAssertNotEqual(first, second, "a new session never gets an old handle")
        let lookups = await onLoop { ($0.session(first) == nil, $0.session(second) != nil) }
        XCTAssertTrue(lookups.0, "the stale handle is refused")
        XCTAssertTrue(lookups.1)
    }

    func testDroppingARunningServerStopsItsLoop() async throws {
        let loop = server.loop
        weak let weakServer = server
        server = nil
        XCTAssertNil(weakServer, "the loop thread does not keep the server alive")
        let client = RawCoAP(port: plainPort)
        XCTAssertNil(client.request(method: 1, options: [.uriPath("whoami")], timeout: 0.5), "nothing listens any more")
        XCTAssertNil(loop.context, "the context was freed")
    }

    func testConfinedStateMayBeTouchedOnlyOnTheLoopWhileItRuns() async throws {
        let owner = server.loopOwner
        XCTAssertFalse(owner.mayTouchConfinedState, "the test's thread is not the loop")
        let onLoop = await onLoop { _ in owner.mayTouchConfinedState }
        XCTAssertTrue(onLoop)
        server.stop()
        XCTAssertTrue(owner.mayTouchConfinedState, "after the loop ended, anyone may read what it left")
    }

    func testTheEndpointsOwnSocketGetsTheReceiveBuffer() throws {
        // The server asked for 4 MiB on each endpoint socket (the kernel caps it at net.core.rmem_max).
        let rmemMax = Int(try String(contentsOfFile: "/proc/sys/net/core/rmem_max", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let expected = 2 * min(4 << 20, rmemMax)
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap { Int32($0) }
        let plain = descriptors.filter { Self.boundUDPPort($0) == plainPort }
        XCTAssertEqual(plain.count, 1, "one socket listens on the plain port")
        for fd in plain {
            var size: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            XCTAssertEqual(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &length), 0)
            XCTAssertEqual(Int(size), expected)
        }
    }

    private static func boundUDPPort(_ fd: Int32) -> UInt16? {
        var type: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) == 0, type == Int32(SOCK_DGRAM.rawValue) else { return nil }
        var address = sockaddr_in()
        var addressLength = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &addressLength) }
        }
        guard named == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return UInt16(bigEndian: address.sin_port)
    }

    static func selfSignedCredentials() throws -> CoAPServerConfiguration.Credentials {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("coap-test") }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: Date() - 60, notValidAfter: Date() + 3600, issuer: name, subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil)) },
            issuerPrivateKey: .init(key))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return .init(certificateDER: serializer.serializedBytes, privateKeyDER: Array(key.derRepresentation),
                     trustAnchorsDER: [serializer.serializedBytes])
    }
}

private final class HandleLog: Sendable {
    let handles = Mutex<[CoAPSessionHandle]>([])
}
