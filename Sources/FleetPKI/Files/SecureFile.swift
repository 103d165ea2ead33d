import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Atomic file writes with an exact permission mode.
///
/// `Data.write(to:options:.atomic)` creates its temporary file with the default mode (0666 minus
/// umask), so a private key would be world-readable between creation and a later chmod. Here the
/// temporary file is created by `open(O_CREAT|O_EXCL, mode)` — never wider than `mode` — then
/// `fchmod`ed to exactly `mode` (undoing an unusual umask), fsynced and renamed over the target.
public enum SecureFile {
    /// For private keys: owner read/write only.
    public static let privateMode: mode_t = 0o600
    /// For certificates and other public material.
    public static let publicMode: mode_t = 0o644

    public static func write(_ bytes: [UInt8], to url: URL, mode: mode_t) throws {
        let path = url.path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ioError("create \(temporary)") }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }

        var failure: PKIError?
        if fchmod(fd, mode) != 0 { failure = ioError("chmod \(temporary)") }
        if failure == nil {
            failure = bytes.withUnsafeBytes { buffer -> PKIError? in
                var offset = 0
                while offset < buffer.count {
                    let written = posixWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return ioError("write \(temporary)")
                    }
                    offset += written
                }
                return nil
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = ioError("fsync \(temporary)") }
        if close(fd) != 0, failure == nil { failure = ioError("close \(temporary)") }
        if let failure { throw failure }

        guard rename(temporary, path) == 0 else { throw ioError("rename to \(path)") }
        renamed = true
    }

    /// Permission bits of an existing file, or nil if it does not exist.
    public static func mode(of url: URL) -> mode_t? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    static func ioError(_ what: String) -> PKIError {
        PKIError(.io, "\(what): \(String(cString: strerror(errno)))")
    }
}

/// `write` is shadowed by `SecureFile.write` inside the enum; this names the libc one.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
