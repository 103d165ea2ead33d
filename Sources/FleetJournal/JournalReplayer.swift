import DeviceWire
import FleetDomain
import Foundation
import Logging

/// Reads the journal back after a restart and turns frames into records again, so that everything
/// acknowledged before a crash reaches the store.
public struct JournalReplayer: Sendable {
    /// Bytes of a segment that held no readable frame but were followed by readable ones: a damaged frame
    /// (a bad sector, a partial copy) in the middle of a segment. Its records are lost; the ones after it are not.
    public struct Damage: Sendable, Equatable {
        public let segment: UInt64
        public let offsets: Range<Int>
    }

    public let directory: URL
    let logger: Logger
    /// Told of every damaged range skipped (they are also logged as errors).
    let damaged: (@Sendable (Damage) -> Void)?

    public init(directory: URL, logger: Logger, damaged: (@Sendable (Damage) -> Void)? = nil) {
        self.directory = directory
        self.logger = logger
        self.damaged = damaged
    }

    /// Feeds every record after `applied` to `apply` in batches of up to `batchSize`, oldest first, and
    /// returns how many records it replayed. A torn tail is cut off (it was never acknowledged).
    public func replay(
        after applied: JournalPosition?, batchSize: Int = 2048,
        apply: ([JournaledRecord], JournalPosition) async throws -> Void
    ) async throws -> Int {
        var replayed = 0
        for segment in JournalSegments.list(in: directory) {
            if let applied, segment < applied.segment { continue }
            var batch: [JournaledRecord] = []
            try scan(segment) { record in
                if let applied, record.position <= applied { return }
                batch.append(record)
            }
            for start in stride(from: 0, to: batch.count, by: batchSize) {
                let slice = Array(batch[start..<min(start + batchSize, batch.count)])
                try await apply(slice, slice[slice.count - 1].position)
                replayed += slice.count
            }
        }
        return replayed
    }

    /// Removes segments whose records are all applied (every segment before `applied`'s own).
    public func removeSegments(before applied: JournalPosition) {
        for segment in JournalSegments.list(in: directory) where segment < applied.segment {
            try? FileManager.default.removeItem(atPath: JournalSegments.path(segment, in: directory))
        }
    }

    private func scan(_ segment: UInt64, _ visit: (JournaledRecord) -> Void) throws {
        let path = JournalSegments.path(segment, in: directory)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var offset = 0
        data.withUnsafeBytes { bytes in
            while offset < bytes.count {
                let frame: JournalFrame, length: Int
                switch JournalFrame.decode(UnsafeRawBufferPointer(rebasing: bytes[offset...])) {
                case .frame(let decoded, let decodedLength):
                    (frame, length) = (decoded, decodedLength)
                case .torn, .unwritten:
                    // A damaged frame (or zeroed bytes) with readable frames after it is skipped, never the
                    // rest of the segment. With none after it, it is the end: space the writer reserved and
                    // never filled (a segment it did not close), or a write the crash cut short (never
                    // acknowledged). Either way it is cut off.
                    guard let next = Self.nextFrame(in: bytes, after: offset) else {
                        logger.notice("journal: cut an unfinished tail off", metadata: ["segment": "\(segment)", "offset": "\(offset)"])
                        truncate(path, off_t(offset))
                        return
                    }
                    let damage = Damage(segment: segment, offsets: offset..<next)
                    logger.error("journal: skipped a damaged frame; the records after it are kept", metadata: [
                        "segment": "\(segment)", "from": "\(offset)", "to": "\(next)", "bytes": "\(next - offset)"])
                    damaged?(damage)
                    offset = next
                    continue
                }
                offset += length
                let position = JournalPosition(segment: segment, offset: UInt64(offset))
                do {
                    visit(JournaledRecord(position: position, record: try frame.record()))
                } catch {
                    // Only possible if a parser changed between versions; keep going, but say so loudly.
                    logger.error("journal: record no longer parses", metadata: ["position": "\(position)", "error": "\(error)"])
                }
            }
        }
    }
}

extension JournalReplayer {
    /// The offset of the first whole, checksummed frame after `offset`, or nil if none follows (only
    /// unwritten space or a cut frame). A CRC-32 over the frame and its length and kind checks make a false
    /// match in damaged bytes practically impossible.
    static func nextFrame(in bytes: UnsafeRawBufferPointer, after offset: Int) -> Int? {
        var candidate = offset + 1
        while candidate + JournalFrame.headerSize <= bytes.count {
            if case .frame = JournalFrame.decode(UnsafeRawBufferPointer(rebasing: bytes[candidate...])) { return candidate }
            candidate += 1
        }
        return nil
    }
}

extension JournalFrame {
    /// Rebuilds the domain record with the same parsers the gateway used before appending.
    func record() throws -> IngestRecord {
        guard let serial = Serial(serial) else { throw JournalError("journal: bad serial \(self.serial)") }
        let receivedAt = Date(timeIntervalSince1970: Double(receivedAtMilliseconds) / 1000)
        switch kind {
        case .registration:
            let request = try DeviceRequestParser.registration(body)
            guard Int(self.state) < DeviceState.journalCodes.count else { throw JournalError("journal: bad state \(self.state)") }
            let state = DeviceState.journalCodes[Int(self.state)]
            return .registration(RegistrationRecord(serial: serial, request: request, state: state, receivedAt: receivedAt))
        case .telemetry:
            let pack = try SenML.parse(body, serial: serial, now: receivedAt.timeIntervalSince1970)
            return .telemetry(TelemetryRecord(serial: serial, receivedAt: receivedAt, body: body, pack: pack))
        case .event:
            let report = try DeviceRequestParser.event(body)
            return .event(EventRecord(serial: serial, report: report, receivedAt: receivedAt))
        case .profileReport:
            let report = try DeviceRequestParser.profileReport(body)
            return .profileReport(ProfileReportRecord(serial: serial, report: report, receivedAt: receivedAt))
        case .commandResult:
            let id = String(decoding: body.prefix(CommandResultBody.idLength), as: UTF8.self)
            guard Command.isWellFormedID(id) else { throw JournalError("journal: bad command id \(id)") }
            let report = try DeviceRequestParser.commandResult(Array(body.dropFirst(CommandResultBody.idLength)))
            return .commandResult(CommandResultRecord(serial: serial, commandID: id, report: report, receivedAt: receivedAt))
        case .heartbeat:
            let report = try DeviceRequestParser.heartbeat(body)
            return .heartbeat(HeartbeatRecord(serial: serial, report: report, receivedAt: receivedAt))
        }
    }
}

extension DeviceState {
    /// Stable one-byte codes for the journal (never reorder: old journals must replay).
    public static let journalCodes: [DeviceState] = [.provisioned, .unassigned, .active, .offline, .expired, .revoked, .decommissioned]

    public var journalCode: UInt8 { UInt8(DeviceState.journalCodes.firstIndex(of: self)!) }
}
