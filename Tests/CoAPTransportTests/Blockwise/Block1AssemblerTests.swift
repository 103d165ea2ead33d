@testable import CoAPTransport
import XCTest

/// Request bodies arriving block by block (RFC 7959 §2.5): the rules the server applies before a handler
/// sees a body, without sockets. The sequences that crashed libcoap 4.3.1's own reassembly are here too.
final class Block1AssemblerTests: XCTestCase {
    private var assembler = Block1Assembler(maxBodyBytes: 4096, maxTransfers: 2, idleTimeoutSeconds: 60)
    private let key = Block1Assembler.Key(session: CoAPSessionHandle(number: 1), path: "v1/telemetry", requestTag: [])
    private var now: UInt64 = 1_000_000_000

    private func block(_ number: UInt32, more: Bool, szx: UInt8 = 6) -> BlockOption {
        BlockOption(number: number, more: more, sizeExponent: szx)
    }

    private func send(
        _ block: BlockOption, _ bytes: [UInt8], size1: Int? = nil, format: ContentFormat? = .senmlJSON,
        key: Block1Assembler.Key? = nil
    ) -> Block1Assembler.Outcome {
        bytes.withUnsafeBytes {
            assembler.receive(block, payload: $0, size1: size1, contentFormat: format, key: key ?? self.key, now: now)
        }
    }

    private func filled(_ count: Int, _ byte: UInt8) -> [UInt8] { [UInt8](repeating: byte, count: count) }

    func testBlocksInOrderWithoutSize1AreReassembledWhole() {
        XCTAssertEqual(send(block(0, more: true), filled(1024, 1)), .proceed(block(0, more: true)))
        XCTAssertEqual(send(block(1, more: true), filled(1024, 2)), .proceed(block(1, more: true)))
        XCTAssertEqual(send(block(2, more: false), filled(10, 3)),
                       .complete(body: filled(1024, 1) + filled(1024, 2) + filled(10, 3), last: block(2, more: false)))
        XCTAssertEqual(assembler.inProgress, 0)
    }

    func testSize1IsOnlyAHintTheBodyIsWhatArrives() {
        XCTAssertEqual(send(block(0, more: true, szx: 2), filled(64, 1), size1: 70), .proceed(block(0, more: true, szx: 2)))
        XCTAssertEqual(send(block(1, more: false, szx: 2), filled(6, 2)),
                       .complete(body: filled(64, 1) + filled(6, 2), last: block(1, more: false, szx: 2)))
    }

    func testAnEmptyLastBlockCompletesTheBodyReceivedSoFar() {
        // The two datagrams that crashed the server inside libcoap: block 0 with More, then an empty last block.
        XCTAssertEqual(send(block(0, more: true), filled(1024, 7)), .proceed(block(0, more: true)))
        XCTAssertEqual(send(block(1, more: false), []), .complete(body: filled(1024, 7), last: block(1, more: false)))
    }

    func testAnEmptyLastBlockWithoutAStartIsIncomplete() {
        guard case .refuse(let code, let diagnostic, nil) = send(block(1, more: false), []) else { return XCTFail() }
        XCTAssertEqual(code, .requestEntityIncomplete)
        XCTAssertTrue(diagnostic.contains("start with block 0"), diagnostic)
    }

    func testASingleBlockZeroWithoutMoreIsTheWholeBody() {
        XCTAssertEqual(send(block(0, more: false), filled(5, 9)), .complete(body: filled(5, 9), last: block(0, more: false)))
        XCTAssertEqual(send(block(0, more: false), []), .complete(body: [], last: block(0, more: false)))
    }

    func testAnAnnouncedOversizeIsRefusedAtTheFirstBlockWithSize1() {
        XCTAssertEqual(send(block(0, more: true), filled(1024, 1), size1: 20_000),
                       .refuse(.requestEntityTooLarge, "request body over 4096 bytes (Block1 0/1/1024)", size1: 4096))
        XCTAssertEqual(assembler.inProgress, 0, "nothing buffered for a refused transfer")
    }

    func testAnUnannouncedOversizeIsRefusedAtTheBlockThatCrossesTheLimit() {
        for number in 0..<4 { XCTAssertEqual(send(block(UInt32(number), more: true), filled(1024, 1)), .proceed(block(UInt32(number), more: true))) }
        guard case .refuse(.requestEntityTooLarge, _, let size1) = send(block(4, more: true), filled(1024, 1)) else { return XCTFail() }
        XCTAssertEqual(size1, 4096)
        XCTAssertEqual(assembler.inProgress, 0)
        // The transfer is gone: its next block has nothing to continue.
        guard case .refuse(.requestEntityIncomplete, _, _) = send(block(5, more: false), filled(3, 1)) else { return XCTFail() }
    }

    func testAGapOrAStepBackIsIncompleteAndEndsTheTransfer() {
        _ = send(block(0, more: true), filled(1024, 1))
        guard case .refuse(.requestEntityIncomplete, let diagnostic, _) = send(block(2, more: true), filled(1024, 1)) else { return XCTFail() }
        XCTAssertTrue(diagnostic.contains("expected the block at byte 1024, got byte 2048"), diagnostic)
        XCTAssertEqual(assembler.inProgress, 0)
    }

    func testABlockBeforeTheLastMustBeFull() {
        guard case .refuse(.badRequest, let diagnostic, _) = send(block(0, more: true), filled(100, 1)) else { return XCTFail() }
        XCTAssertTrue(diagnostic.contains("exactly 1024 bytes, not 100"), diagnostic)
    }

    func testBERTIsRefusedOnDatagrams() {
        guard case .refuse(.badRequest, let diagnostic, _) = send(block(0, more: true, szx: 7), filled(1024, 1)) else { return XCTFail() }
        XCTAssertTrue(diagnostic.contains("BERT"), diagnostic)
    }

    func testARetransmittedBlockIsAnsweredAgainWithoutDuplicatingIt() {
        _ = send(block(0, more: true), filled(1024, 1))
        XCTAssertEqual(send(block(1, more: true), filled(1024, 2)), .proceed(block(1, more: true)))
        XCTAssertEqual(send(block(1, more: true), filled(1024, 2)), .proceed(block(1, more: true)))
        XCTAssertEqual(send(block(2, more: false), [3]), .complete(body: filled(1024, 1) + filled(1024, 2) + [3], last: block(2, more: false)))
    }

    func testAChangedContentFormatEndsTheTransfer() {
        _ = send(block(0, more: true), filled(1024, 1))
        guard case .refuse(.requestEntityIncomplete, let diagnostic, _) = send(block(1, more: false), [1], format: .json) else { return XCTFail() }
        XCTAssertTrue(diagnostic.contains("Content-Format"), diagnostic)
    }

    func testBlockZeroStartsOver() {
        _ = send(block(0, more: true), filled(1024, 1))
        _ = send(block(0, more: true), filled(1024, 5))
        XCTAssertEqual(send(block(1, more: false), [6]), .complete(body: filled(1024, 5) + [6], last: block(1, more: false)))
    }

    func testTransfersInProgressAreBoundedAndIdleOnesExpire() {
        let other = { (n: UInt64) in Block1Assembler.Key(session: CoAPSessionHandle(number: n), path: "v1/events", requestTag: []) }
        XCTAssertEqual(send(block(0, more: true), filled(1024, 1), key: other(2)), .proceed(block(0, more: true)))
        XCTAssertEqual(send(block(0, more: true), filled(1024, 1), key: other(3)), .proceed(block(0, more: true)))
        guard case .refuse(.serviceUnavailable, _, _) = send(block(0, more: true), filled(1024, 1), key: other(4)) else { return XCTFail() }
        now += 61_000_000_000
        XCTAssertEqual(send(block(0, more: true), filled(1024, 1), key: other(4)), .proceed(block(0, more: true)))
        XCTAssertEqual(assembler.inProgress, 1, "the two idle transfers were dropped")
    }

    func testASessionsTransfersGoWithIt() {
        _ = send(block(0, more: true), filled(1024, 1))
        assembler.removeAll(of: key.session)
        XCTAssertEqual(assembler.inProgress, 0)
    }

    func testRequestTagsSeparateTransfersToOneResource() {
        let tagged = Block1Assembler.Key(session: key.session, path: key.path, requestTag: [0xAA])
        _ = send(block(0, more: true), filled(1024, 1))
        _ = send(block(0, more: true), filled(1024, 2), key: tagged)
        XCTAssertEqual(send(block(1, more: false), [1]), .complete(body: filled(1024, 1) + [1], last: block(1, more: false)))
        XCTAssertEqual(send(block(1, more: false), [2], key: tagged), .complete(body: filled(1024, 2) + [2], last: block(1, more: false)))
    }

    func testTheBlockOptionValueRoundTrips() {
        for value: UInt64 in [0, 0x0E, 0x16, 0xFFFFF6, 0x123456] {
            XCTAssertEqual(UInt64(BlockOption(value: value)!.value), value)
        }
        XCTAssertNil(BlockOption(value: 0x1_000_000), "longer than three bytes")
        XCTAssertEqual(BlockOption(value: 0x16)?.description, "1/0/1024")
    }
}
