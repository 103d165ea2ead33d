import FleetDomain
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Appends acknowledged device messages to the journal, one `write(2)` per record, on the CoAP loop thread.
///
/// Why this is the durability point: once `write(2)` returns, the record is in the kernel's page cache,
/// which survives a crash of this process (`kill -9` included) — an acknowledgement sent after it is never
/// lost to a server crash. A commit per request in the store would cost 44–226 µs (design.md); this costs a
/// few µs, and the store is fed from memory in device-grouped batches by `IngestPipeline`. What it does not
/// survive is power loss of the machine before the kernel writes back (the store's own WAL, at
/// synchronous=NORMAL, has the same window); `syncEveryAppend` closes that window at ~200 µs per record.
///
/// Not thread-safe: owned by the loop thread.
public final class JournalWriter {
    public let directory: URL
    public let segmentLimit: UInt64
    public let syncEveryAppend: Bool
    public private(set) var segment: UInt64
    private var offset: UInt64 = 0
    private var descriptor: Int32 = -1
    private var buffer: [UInt8] = []

    /// Opens a new segment numbered after every existing one; earlier segments are left for replay.
    public init(directory: URL, segmentLimit: UInt64 = 64 << 20, syncEveryAppend: Bool = false) throws {
        self.directory = directory
        self.segmentLimit = segmentLimit
        self.syncEveryAppend = syncEveryAppend
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        segment = (JournalSegments.list(in: directory).last ?? 0) + 1
        buffer.reserveCapacity(4096)
        try openSegment()
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Appends one record and returns the position just after it (the record's key in the store).
    public func append(
        _ kind: JournalKind, serial: Serial, receivedAt: Date, state: UInt8 = 0, body: UnsafeRawBufferPointer
    ) throws -> JournalPosition {
        if offset >= segmentLimit { try rotate() }
        let millis = Int64((receivedAt.timeIntervalSince1970 * 1000).rounded())
        JournalFrame.encode(kind: kind, state: state, serial: serial.rawValue, receivedAtMilliseconds: millis,
                            body: body, into: &buffer)
        try buffer.withUnsafeBytes { try writeFully($0) }
        if syncEveryAppend, fdatasync(descriptor) != 0 {
            throw JournalError.system("fdatasync", currentPath, errno)
        }
        offset += UInt64(buffer.count)
        return JournalPosition(segment: segment, offset: offset)
    }

    private var currentPath: String { JournalSegments.path(segment, in: directory) }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) throws {
        var written = 0
        while written < bytes.count {
            let result = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                let failure = errno
                // Cut off whatever part did land, so the next record starts on a frame boundary.
                _ = ftruncate(descriptor, off_t(offset))
                _ = lseek(descriptor, off_t(offset), SEEK_SET)
                throw JournalError.system("write", currentPath, failure)
            }
            written += result
        }
    }

    private func rotate() throws {
        close(descriptor)
        descriptor = -1
        segment += 1
        try openSegment()
    }

    private func openSegment() throws {
        let fd = open(currentPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError.system("open", currentPath, errno) }
        descriptor = fd
        offset = 0
    }
}
