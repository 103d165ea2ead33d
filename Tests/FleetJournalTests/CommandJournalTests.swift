@testable import FleetJournal
import FleetDomain
import Foundation
import Logging
import XCTest

/// Command results and heartbeats in the journal: what the gateway appends replays as the same record.
final class CommandJournalTests: XCTestCase {
    private var directory: URL!
    private let serial = Serial("BRK-0001")!
    private let at = Date(timeIntervalSince1970: 1_764_384_000)

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testACommandResultAndAHeartbeatReplayAsTheyWereAcknowledged() async throws {
        let writer = try JournalWriter(directory: directory)
        let id = "cmd-00000000000000a1"
        let result = Array(#"{"result":"done","breaker":"open","reason":"ok"}"#.utf8)
        _ = try result.withUnsafeBytes { device in
            try CommandResultBody.encode(id: id, deviceBody: device).withUnsafeBytes {
                try writer.append(.commandResult, serial: serial, receivedAt: at, body: $0)
            }
        }
        _ = try Array(#"{"uptime_s":42,"rssi":-71}"#.utf8).withUnsafeBytes {
            try writer.append(.heartbeat, serial: serial, receivedAt: at, body: $0)
        }
        _ = try [UInt8]().withUnsafeBytes { try writer.append(.heartbeat, serial: serial, receivedAt: at, body: $0) }

        var seen: [IngestRecord] = []
        _ = try await JournalReplayer(directory: directory, logger: Logger(label: "test")).replay(after: nil) { records, _ in
            seen += records.map(\.record)
        }
        XCTAssertEqual(seen, [
            .commandResult(CommandResultRecord(serial: serial, commandID: id, report: CommandReport(.done, breaker: .open, reason: "ok"), receivedAt: at)),
            .heartbeat(HeartbeatRecord(serial: serial, report: HeartbeatReport(uptimeSeconds: 42, rssi: -71), receivedAt: at)),
            .heartbeat(HeartbeatRecord(serial: serial, report: HeartbeatReport(), receivedAt: at)),
        ])
    }
}
