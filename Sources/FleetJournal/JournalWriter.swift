import FleetDomain
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Appends acknowledged device messages to the journal, on the CoAP loop thread.
///
/// Why this is the durability point: once a record is in the journal's pages of the kernel's page cache,
/// it survives a crash of this process (`kill -9` included) — an acknowledgement sent after it is never
/// lost to a server crash. A commit per request in the store would cost 44–226 µs (design.md); this costs
/// well under a µs, and the store is fed from memory in device-grouped batches by `IngestPipeline`. What it
/// does not survive is power loss of the machine before the kernel writes back (the store's own WAL, at
/// synchronous=NORMAL, has the same window); `syncEveryAppend` closes that window at ~200 µs per record.
///
/// Records are encoded straight into a shared memory mapping of the segment file (a window that moves
/// along it) rather than written with a `write(2)` each: a store into a `MAP_SHARED` page is a store into
/// the same page cache, with the same crash guarantee, and that `write(2)` was ~7 % of the server's CPU
/// under the ingest bench (ext4's buffered write path, per call). The window's file range is reserved with
/// `posix_fallocate` before it is mapped, so a full disk is an error from `append` (the device gets 5.03),
/// never a SIGBUS on a store. A segment is cut back to its records when the writer moves on or closes; one
/// left by a crash ends in zeroed reserved space, which the replayer recognises (`JournalFrame.decode`).
///
/// Not thread-safe: owned by the loop thread.
public final class JournalWriter {
    public let directory: URL
    public let segmentLimit: UInt64
    public let syncEveryAppend: Bool
    public private(set) var segment: UInt64
    private var offset: UInt64 = 0
    private var descriptor: Int32 = -1
    private var window: MappedWindow?
    /// Bytes mapped (and reserved) at a time: a remap every few thousand records, a bounded resident size.
    static let windowSize = 1 << 20

    /// Opens a new segment numbered after every existing one; earlier segments are left for replay.
    public init(directory: URL, segmentLimit: UInt64 = 64 << 20, syncEveryAppend: Bool = false) throws {
        self.directory = directory
        self.segmentLimit = segmentLimit
        self.syncEveryAppend = syncEveryAppend
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        segment = (JournalSegments.list(in: directory).last ?? 0) + 1
        try openSegment()
    }

    deinit {
        closeSegment()
    }

    /// Appends one record and returns the position just after it (the record's key in the store).
    public func append(
        _ kind: JournalKind, serial: Serial, receivedAt: Date, state: UInt8 = 0, body: UnsafeRawBufferPointer
    ) throws -> JournalPosition {
        if offset >= segmentLimit { try rotate() }
        let millis = Int64((receivedAt.timeIntervalSince1970 * 1000).rounded())
        let size = JournalFrame.encodedSize(serialLength: serial.rawValue.utf8.count, bodyLength: body.count)
        let destination = try reserve(size)
        JournalFrame.encode(kind: kind, state: state, serial: serial.rawValue, receivedAtMilliseconds: millis,
                            body: body, into: destination)
        if syncEveryAppend { try sync(destination) }
        offset += UInt64(size)
        return JournalPosition(segment: segment, offset: offset)
    }

    private var currentPath: String { JournalSegments.path(segment, in: directory) }

    /// The mapped bytes at `offset`, `size` long, moving the window along the file when they are not mapped.
    private func reserve(_ size: Int) throws -> UnsafeMutableRawBufferPointer {
        if let window, let bytes = window.bytes(at: offset, count: size) { return bytes }
        unmapWindow()
        let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        let start = offset / pageSize * pageSize
        let needed = Int(offset - start) + size
        let length = (max(Self.windowSize, needed) + Int(pageSize) - 1) / Int(pageSize) * Int(pageSize)
        let reserved = posix_fallocate(descriptor, off_t(start), off_t(length))
        guard reserved == 0 else { throw JournalError.system("posix_fallocate", currentPath, reserved) }
        let address = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, off_t(start))
        guard let address, address != MAP_FAILED else { throw JournalError.system("mmap", currentPath, errno) }
        let mapped = MappedWindow(start: start, bytes: UnsafeMutableRawBufferPointer(start: address, count: length))
        window = mapped
        return mapped.bytes(at: offset, count: size)!
    }

    /// `--sync-journal`: the record's pages reach the disk before the device is answered.
    private func sync(_ record: UnsafeMutableRawBufferPointer) throws {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let address = UInt(bitPattern: record.baseAddress!)
        let first = address / UInt(pageSize) * UInt(pageSize)
        let length = Int(address - first) + record.count
        if msync(UnsafeMutableRawPointer(bitPattern: first), length, MS_SYNC) != 0 {
            throw JournalError.system("msync", currentPath, errno)
        }
    }

    private func unmapWindow() {
        guard let window else { return }
        munmap(window.bytes.baseAddress, window.bytes.count)
        self.window = nil
    }

    /// Cuts the segment back to its records and closes it; call once the loop thread that appends has
    /// stopped. Without it (a crash) the segment ends in zeroed reserved space, which replay also handles.
    public func close() {
        closeSegment()
    }

    private func rotate() throws {
        closeSegment()
        segment += 1
        try openSegment()
    }

    /// Unmaps the window (its pages stay in the page cache) and cuts the file back to its records.
    private func closeSegment() {
        guard descriptor >= 0 else { return }
        unmapWindow()
        _ = ftruncate(descriptor, off_t(offset))
        Glibc.close(descriptor)
        descriptor = -1
    }

    private func openSegment() throws {
        let fd = open(currentPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError.system("open", currentPath, errno) }
        descriptor = fd
        offset = 0
    }
}

/// The part of a segment file that is mapped: `bytes` shows the file from `start` on.
private struct MappedWindow {
    let start: UInt64
    let bytes: UnsafeMutableRawBufferPointer

    /// The mapped bytes for the file range `[offset, offset + count)`, or nil when it is not all mapped.
    func bytes(at offset: UInt64, count: Int) -> UnsafeMutableRawBufferPointer? {
        guard offset >= start, offset - start + UInt64(count) <= UInt64(bytes.count) else { return nil }
        let from = Int(offset - start)
        return UnsafeMutableRawBufferPointer(rebasing: bytes[from..<(from + count)])
    }
}
