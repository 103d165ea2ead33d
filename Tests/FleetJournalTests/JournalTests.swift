@testable import FleetJournal
import FleetDomain
import Foundation
import Logging
import XCTest

final class JournalTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private let serial = Serial("BRK-0001")!
    private let pack = #"[{"bn":"urn:dev:sn:BRK-0001:","n":"voltage_l1","u":"V","v":229.5}]"#
    private let event = #"{"id":"e1","type":"trip","at":1764384000,"action":"tripped"}"#

    func testFrameRoundTripsAndDetectsCorruption() throws {
        var buffer: [UInt8] = []
        Array(pack.utf8).withUnsafeBytes {
            JournalFrame.encode(kind: .telemetry, state: 0, serial: "BRK-0001", receivedAtMilliseconds: 1_764_384_000_123, body: $0, into: &buffer)
        }
        guard case .frame(let frame, let length) = buffer.withUnsafeBytes({ JournalFrame.decode($0) }) else {
            return XCTFail("a whole frame must decode")
        }
        XCTAssertEqual(length, buffer.count)
        XCTAssertEqual(frame.serial, "BRK-0001")
        XCTAssertEqual(frame.receivedAtMilliseconds, 1_764_384_000_123)
        XCTAssertEqual(frame.body, Array(pack.utf8))
        XCTAssertEqual(buffer.dropLast().withUnsafeBytes { JournalFrame.decode($0) }, .torn, "a cut frame is torn")
        buffer[buffer.count - 3] ^= 0xFF
        XCTAssertEqual(buffer.withUnsafeBytes { JournalFrame.decode($0) }, .torn, "a flipped byte fails the CRC")
    }

    func testReplayReturnsEverythingAfterTheAppliedPositionAndCutsATornTail() async throws {
        let writer = try JournalWriter(directory: directory)
        var positions: [JournalPosition] = []
        for body in [pack, event, pack] {
            let kind: JournalKind = body == event ? .event : .telemetry
            positions.append(try Array(body.utf8).withUnsafeBytes {
                try writer.append(kind, serial: serial, receivedAt: Date(timeIntervalSince1970: 1_764_384_000), body: $0)
            })
        }
        // A crash in the middle of a write leaves a partial frame behind.
        let handle = try FileHandle(forWritingTo: directory.appendingPathComponent(JournalSegments.fileName(writer.segment)))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0x40, 0, 0, 0, 1, 2]))
        try handle.close()

        let replayer = JournalReplayer(directory: directory, logger: Logger(label: "test"))
        var seen: [JournaledRecord] = []
        let count = try await replayer.replay(after: positions[0]) { records, through in
            XCTAssertEqual(through, records.last?.position)
            seen += records
        }
        XCTAssertEqual(count, 2)
        XCTAssertEqual(seen.map(\.position), Array(positions[1...]))
        guard case .event(let replayedEvent) = seen[0].record else { return XCTFail("second record is the event") }
        XCTAssertEqual(replayedEvent.report.id, "e1")
        guard case .telemetry(let telemetry) = seen[1].record else { return XCTFail("third record is telemetry") }
        XCTAssertEqual(telemetry.pack.measurements.first?.value, 229.5)
        let size = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(JournalSegments.fileName(writer.segment)).path)[.size] as? Int
        XCTAssertEqual(UInt64(size ?? 0), positions[2].offset, "the torn tail is cut off")
    }

    func testADamagedFrameInTheMiddleIsSkippedAndEverythingAfterItKept() async throws {
        let writer = try JournalWriter(directory: directory)
        var positions: [JournalPosition] = []
        for index in 0..<5 {
            let body = index == 2 ? event : pack
            positions.append(try Array(body.utf8).withUnsafeBytes {
                try writer.append(index == 2 ? .event : .telemetry, serial: serial, receivedAt: Date(timeIntervalSince1970: 1_764_384_000), body: $0)
            })
        }
        writer.close()
        // A bad sector: one byte of the third frame's body flipped, so its CRC fails.
        let file = directory.appendingPathComponent(JournalSegments.fileName(writer.segment))
        var bytes = [UInt8](try Data(contentsOf: file))
        bytes[Int(positions[2].offset) - 5] ^= 0xFF
        try Data(bytes).write(to: file)

        let damage = DamageLog()
        let replayer = JournalReplayer(directory: directory, logger: Logger(label: "test"), damaged: { damage.append($0) })
        var seen: [JournaledRecord] = []
        let count = try await replayer.replay(after: nil) { records, _ in seen += records }
        XCTAssertEqual(count, 4, "only the damaged record is lost")
        XCTAssertEqual(seen.map(\.position), [positions[0], positions[1], positions[3], positions[4]])
        XCTAssertEqual(damage.ranges, [JournalReplayer.Damage(
            segment: writer.segment, offsets: Int(positions[1].offset)..<Int(positions[2].offset))], "exactly the damaged frame is reported")
        XCTAssertEqual(try Data(contentsOf: file).count, bytes.count, "nothing after the damage is cut off")
    }

    func testZeroedBytesInTheMiddleAreDamageNotTheEnd() async throws {
        let writer = try JournalWriter(directory: directory)
        var positions: [JournalPosition] = []
        for _ in 0..<3 {
            positions.append(try Array(pack.utf8).withUnsafeBytes {
                try writer.append(.telemetry, serial: serial, receivedAt: Date(timeIntervalSince1970: 1_764_384_000), body: $0)
            })
        }
        writer.close()
        // The second frame's header zeroed, as an unwritten reservation would read.
        let file = directory.appendingPathComponent(JournalSegments.fileName(writer.segment))
        var bytes = [UInt8](try Data(contentsOf: file))
        for index in Int(positions[0].offset)..<(Int(positions[0].offset) + 8) { bytes[index] = 0 }
        try Data(bytes).write(to: file)

        var seen: [JournaledRecord] = []
        let count = try await JournalReplayer(directory: directory, logger: Logger(label: "test")).replay(after: nil) { records, _ in
            seen += records
        }
        XCTAssertEqual(count, 2)
        XCTAssertEqual(seen.map(\.position), [positions[0], positions[2]])
    }

    func testANewWriterStartsANewSegmentAndOldOnesAreRemovedOnceApplied() throws {
        let first = try JournalWriter(directory: directory)
        let position = try Array(pack.utf8).withUnsafeBytes { try first.append(.telemetry, serial: serial, receivedAt: Date(), body: $0) }
        let second = try JournalWriter(directory: directory)
        XCTAssertEqual(second.segment, first.segment + 1)
        let replayer = JournalReplayer(directory: directory, logger: Logger(label: "test"))
        replayer.removeSegments(before: JournalPosition(segment: second.segment, offset: 0))
        XCTAssertEqual(JournalSegments.list(in: directory), [second.segment])
        XCTAssertEqual(position.segment, first.segment)
    }

    func testCRC32MatchesTheBytewiseDefinition() {
        XCTAssertEqual(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) }, 0xCBF4_3926)
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for count in 0...bytes.count {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes[..<count] {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
            }
            XCTAssertEqual(bytes[..<count].withUnsafeBytes { CRC32.checksum($0) }, crc ^ 0xFFFF_FFFF, "\(count) bytes")
        }
    }

    func testRecordsAcrossMappedWindowsReplayAndAClosedSegmentKeepsOnlyItsRecords() async throws {
        var writer: JournalWriter? = try JournalWriter(directory: directory)
        let body = Array(repeating: UInt8(ascii: "x"), count: 700)
        var positions: [JournalPosition] = []
        // Enough records to move the 1 MiB window several times, with records straddling its ends.
        for _ in 0..<4000 {
            positions.append(try body.withUnsafeBytes {
                try writer!.append(.event, serial: serial, receivedAt: Date(timeIntervalSince1970: 1_764_384_000), body: $0)
            })
        }
        let path = directory.appendingPathComponent(JournalSegments.fileName(positions[0].segment)).path
        writer = nil
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        XCTAssertEqual(UInt64(size ?? 0), positions.last?.offset, "closing cuts the reserved space off")
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var offset = 0
        var decoded = 0
        while offset < data.count {
            guard case .frame(let frame, let length) = data.withUnsafeBytes({
                JournalFrame.decode(UnsafeRawBufferPointer(rebasing: $0[offset...]))
            }) else { return XCTFail("record \(decoded) does not decode") }
            XCTAssertEqual(frame.body, body)
            offset += length
            decoded += 1
            XCTAssertEqual(UInt64(offset), positions[decoded - 1].offset)
        }
        XCTAssertEqual(decoded, positions.count)
    }

    func testASegmentLeftOpenByACrashReplaysUpToItsReservedSpace() async throws {
        let writer = try JournalWriter(directory: directory)
        var positions: [JournalPosition] = []
        for _ in 0..<3 {
            positions.append(try Array(pack.utf8).withUnsafeBytes {
                try writer.append(.telemetry, serial: serial, receivedAt: Date(timeIntervalSince1970: 1_764_384_000), body: $0)
            })
        }
        // The writer is still open, as after a kill -9: the file is longer than its records, zero-filled.
        let path = directory.appendingPathComponent(JournalSegments.fileName(writer.segment)).path
        let before = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        XCTAssertGreaterThan(UInt64(before ?? 0), positions[2].offset)

        let replayer = JournalReplayer(directory: directory, logger: Logger(label: "test"))
        var seen: [JournaledRecord] = []
        let count = try await replayer.replay(after: nil) { records, _ in seen += records }
        XCTAssertEqual(count, 3)
        XCTAssertEqual(seen.map(\.position), positions)
        let after = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        XCTAssertEqual(UInt64(after ?? 0), positions[2].offset, "the unused reserved space is cut off")
    }
}

private final class DamageLog: @unchecked Sendable {
    // Appended by the replayer, read by the test after `replay` returned.
    private let lock = NSLock()
    private var collected: [JournalReplayer.Damage] = []
    func append(_ damage: JournalReplayer.Damage) { lock.withLock { collected.append(damage) } }
    var ranges: [JournalReplayer.Damage] { lock.withLock { collected } }
}
