/// A journal failure, with the system call and the file.
public struct JournalError: Error, CustomStringConvertible, Sendable {
    public let message: String

    init(_ message: String) { self.message = message }

    static func system(_ call: String, _ path: String, _ errno: Int32) -> JournalError {
        JournalError("\(call) \(path): \(String(cString: strerror(errno)))")
    }

    public var description: String { message }
}

#if canImport(Glibc)
import Glibc
#endif
