import CoAPTransport
import FleetTesting
import Foundation
import XCTest

/// Request bodies sent block by block (RFC 7959 Block1), with and without Size1, over the plain development
/// port and over real DTLS — and the sequences that used to crash the server through libcoap 4.3.1's own
/// reassembly. Survival is judged by an answer afterwards: a crashed process prints its backtrace for
/// seconds before it exits, so "still running" would not tell.
final class BlockwiseTests: ServerTestCase {
    private let plainPort = FreePort.udp()
    override var serverArguments: [String] { ["--insecure-coap", "127.0.0.1:\(plainPort)"] }

    private func assertServerAnswers(_ message: String, file: StaticString = #filePath, line: UInt = #line) {
        let answer = RawCoAP(port: plainPort).request(method: 1, options: [.uriPath("v1"), .uriPath("time")])
        XCTAssertEqual(answer?.code, "2.05", "the server still answers \(message)", file: file, line: line)
    }

    private func path(_ text: String) -> [RawCoAP.Option] { text.split(separator: "/").map { .uriPath(String($0)) } }

    func testTheTwoDatagramsThatCrashedTheServerAreAnsweredOnAnyPath() throws {
        for target in ["v1/time", "v1/telemetry", "no/such/resource"] {
            let client = RawCoAP(port: plainPort)
            let first = try XCTUnwrap(client.request(options: path(target) + [.block1(number: 0, more: true, szx: 6)],
                                                     payload: Array(repeating: 0x78, count: 1024)))
            XCTAssertEqual(first.code, "2.31", "block 0 of \(target) is taken: \(first)")
            XCTAssertEqual(first.uintOption(27), 0x0E, "Block1 0/1/1024 echoed")
            let last = try XCTUnwrap(client.request(options: path(target) + [.block1(number: 1, more: false, szx: 6)]))
            XCTAssertTrue(last.code.hasPrefix("4."), "the reassembled body goes to \(target), which refuses it: \(last)")
            XCTAssertFalse(last.payload.isEmpty, "with a diagnostic")
            assertServerAnswers("after the empty last block to \(target)")
        }
    }

    func testRandomBlockwiseSequencesAreEachAnsweredAndNeverCrashTheServer() throws {
        var random = SplitMix(seed: 0x5EED)
        let client = RawCoAP(port: plainPort)
        let targets = ["v1/time", "v1/telemetry", "v1/events", "nothing"]
        for round in 0..<400 {
            let szx = UInt8(random.next() % 8)
            let size = 16 << min(Int(szx), 6)
            var options = path(targets[Int(random.next() % 4)])
            options.append(.block1(number: UInt32(random.next() % 4), more: random.next() % 2 == 0, szx: szx))
            switch random.next() % 3 {
            case 0: options.append(.size1(UInt32(random.next() % 40_000)))
            case 1: options.append(.size1(0))
            default: break
            }
            let length = [0, 1, size - 1, size, size + 1][Int(random.next() % 5)]
            let payload = (0..<max(0, length)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let answer = try XCTUnwrap(client.request(options: options, payload: Array(payload.prefix(1100))),
                                       "round \(round): every request gets an answer")
            XCTAssertFalse(answer.code.hasPrefix("5.") && answer.code != "5.03", "round \(round): \(answer)")
            if answer.code.hasPrefix("4.") { XCTAssertFalse(answer.payload.isEmpty, "round \(round): a 4.xx says why") }
        }
        assertServerAnswers("after 400 random block-wise requests")
    }

    func testAnOversizedBodyIsRefusedAtItsFirstBlockWithSize1() throws {
        let client = RawCoAP(port: plainPort)
        let answer = try XCTUnwrap(client.request(
            options: path("v1/telemetry") + [.block1(number: 0, more: true, szx: 6), .size1(20_000)],
            payload: Array(repeating: 0x20, count: 1024)))
        XCTAssertEqual(answer.code, "4.13")
        XCTAssertEqual(answer.uintOption(60), 16_384, "Size1 says the largest body taken")
        XCTAssertTrue(answer.text.contains("over 16384 bytes"), answer.text)
    }

    // MARK: - Over DTLS, as a device

    private func engineSession(_ serial: String) async throws -> (CoAPClientEngine, CoAPClientSession, ClientAnswers) {
        let files = try await admin.provision(serial, model: "BF-100", into: pki.directory.appendingPathComponent("block"))
        let credentials = try CoAPClientCredentials(certificatePEM: files.certificateURL, privateKeyPEM: files.keyURL,
                                                    serverAuthorityPEM: files.caURL)
        let engine = try CoAPClientEngine(configuration: .init(contextsPerLoop: 1, nstart: 1, ackTimeout: 1))
        try engine.start()
        let answers = ClientAnswers()
        let session = engine.connect(to: .init(host: "127.0.0.1", port: server.coapsPort), credentials: credentials) { _, event in
            answers.record(event)
        }
        try await Deadline.wait("the DTLS handshake", timeout: 20) { answers.connected }
        return (engine, session, answers)
    }

    /// Sends one request on the session and waits for its answer.
    private func send(_ request: CoAPClientRequest, on session: CoAPClientSession, _ answers: ClientAnswers) async throws -> CoAPClientResponse {
        let before = answers.count
        session.perform { $0.send(request) { answers.record($0) } }
        try await Deadline.wait("the answer to \(request.path)", timeout: 15) { answers.count > before }
        return try answers.last.get()
    }

    func testABodyWithoutSize1IsReassembledOverDTLSAndStoredWhole() async throws {
        let serial = "BRK-BLK-0001"
        let (engine, session, answers) = try await engineSession(serial)
        defer { engine.shutdown() }
        let registered = try await send(CoAPClientRequest(.post, "/v1/register", contentFormat: .json, payload: Array(Self.registration.utf8)), on: session, answers)
        XCTAssertEqual(registered.code, .created)

        // 120 records (~5 KB): five blocks of 1024 bytes, none announcing the total.
        let records = (0..<120).map { #"{"n":"voltage_l1","u":"V","v":\#(200 + Double($0) / 10),"t":\#($0)}"# }
        let body = Array(("[" + #"{"bn":"urn:dev:sn:\#(serial):","n":"leakage","u":"A","v":0.01},"# + records.joined(separator: ",") + "]").utf8)
        let blocks = stride(from: 0, to: body.count, by: 1024).map { Array(body[$0..<min($0 + 1024, body.count)]) }
        XCTAssertGreaterThan(blocks.count, 3)
        for (number, block) in blocks.enumerated() {
            var request = CoAPClientRequest(.post, "/v1/telemetry", contentFormat: .senmlJSON, payload: block)
            let more = number < blocks.count - 1
            request.block1 = BlockOption(number: UInt32(number), more: more, sizeExponent: 6)
            let answer = try await send(request, on: session, answers)
            XCTAssertEqual(answer.code, more ? .continue : .changed, "block \(number): \(answer.text)")
            XCTAssertEqual(answer.block1, request.block1, "the answer echoes Block1")
        }
        try await Deadline.wait("the whole pack in the store", timeout: 15) {
            let telemetry = try await self.admin.get("/api/v1/devices/\(serial)/telemetry").json["telemetry"] as? [[String: Any]]
            return telemetry?.count == 1
        }
    }

    func testTheCrashSequenceOverDTLSIsAnsweredAndTheSessionGoesOn() async throws {
        let (engine, session, answers) = try await engineSession("BRK-BLK-0002")
        defer { engine.shutdown() }
        var first = CoAPClientRequest(.post, "/v1/time", payload: Array(repeating: 0x78, count: 1024))
        first.block1 = BlockOption(number: 0, more: true, sizeExponent: 6)
        let continued = try await send(first, on: session, answers)
        XCTAssertEqual(continued.code, .continue)
        var last = CoAPClientRequest(.post, "/v1/time")
        last.block1 = BlockOption(number: 1, more: false, sizeExponent: 6)
        let refused = try await send(last, on: session, answers)
        XCTAssertEqual(refused.code.rawValue / 100, 4, refused.text)
        let time = try await send(CoAPClientRequest(.get, "/v1/time"), on: session, answers)
        XCTAssertEqual(time.code, .content)
    }

    func testAnOversizedBodyOverDTLSIsRefusedAtItsFirstBlock() async throws {
        let (engine, session, answers) = try await engineSession("BRK-BLK-0003")
        defer { engine.shutdown() }
        var request = CoAPClientRequest(.post, "/v1/telemetry", contentFormat: .senmlJSON, payload: Array(repeating: 0x20, count: 1024))
        request.block1 = BlockOption(number: 0, more: true, sizeExponent: 6)
        request.size1 = 50_000
        let answer = try await send(request, on: session, answers)
        XCTAssertEqual(answer.code, .requestEntityTooLarge)
        XCTAssertEqual(answer.size1, 16_384)
    }

    func testCoapClientSendsALargePackBlockByBlockAndItIsAccepted() async throws {
        let serial = "BRK-BLK-0004"
        let client = try await provisionedClient(serial)
        XCTAssertEqual(try client.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50).code, "2.01")
        let records = (0..<80).map { #"{"n":"current_l1","u":"A","v":\#(Double($0) / 4),"t":\#($0)}"# }
        let pack = "[" + #"{"bn":"urn:dev:sn:\#(serial):","n":"leakage","u":"A","v":0.01},"# + records.joined(separator: ",") + "]"
        XCTAssertGreaterThan(pack.utf8.count, 2048)
        // libcoap's client splits the body into Block1 blocks itself and announces Size1.
        let result = try client.send("POST", uri("/v1/telemetry"), payload: pack, contentFormat: 110, extraArguments: ["-b", "512"])
        XCTAssertEqual(result.code, "2.04", result.description)
    }
}

/// What one engine session reports, read by the test with `Deadline.wait`.
private final class ClientAnswers: @unchecked Sendable {
    // Guarded by `lock`: written on the engine's loop thread, read by the test.
    private let lock = NSLock()
    private var events: [CoAPClientSessionEvent] = []
    private var results: [CoAPClientResult] = []

    func record(_ event: CoAPClientSessionEvent) { lock.withLock { events.append(event) } }
    func record(_ result: CoAPClientResult) { lock.withLock { results.append(result) } }
    var connected: Bool { lock.withLock { events.contains(.connected) } }
    var count: Int { lock.withLock { results.count } }
    var last: CoAPClientResult { lock.withLock { results.last! } }
}

/// A small seeded generator: the random sequences are the same on every run, so a failure can be replayed.
private struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
