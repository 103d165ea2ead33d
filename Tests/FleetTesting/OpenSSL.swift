import Foundation

/// The system's `openssl` command, for what a device or an operator would do with it (keys, CSRs,
/// reading certificates).
public enum OpenSSL {
    public struct Failed: Error, CustomStringConvertible {
        public let arguments: [String]
        public let status: Int32
        public var description: String { "openssl \(arguments.joined(separator: " ")) exited \(status)" }
    }

    /// Runs `openssl ARGUMENTS` and returns its standard output; throws unless it exits 0.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(arguments: arguments, status: process.terminationStatus) }
        return String(decoding: data, as: UTF8.self)
    }
}
