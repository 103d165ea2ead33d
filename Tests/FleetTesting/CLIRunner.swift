import Foundation

/// Runs the built `breakerfleet` binary as an operator would, capturing its exit status and output.
public struct CLIRunner: Sendable {
    public struct Run: Sendable, CustomStringConvertible {
        public let status: Int32
        public let stdout: String
        public let stderr: String

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }

        public var output: String { stdout + stderr }
        public var description: String { "exit \(status)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)" }
    }

    public let server: URL
    public let tokenFile: URL?

    public init(server: URL, tokenFile: URL?) {
        self.server = server
        self.tokenFile = tokenFile
    }

    /// `breakerfleet ARGUMENTS --server URL [--token-file FILE]`.
    public func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        var all = arguments + ["--server", server.absoluteString]
        if let tokenFile { all += ["--token-file", tokenFile.path] }
        return try Self.execute(all, environment: environment)
    }

    /// The binary (`breakerfleet`, or another of the package's executables) with exactly these arguments.
    public static func execute(
        _ arguments: [String], environment: [String: String] = [:], product: String = "breakerfleet"
    ) throws -> Run {
        let process = Process()
        process.executableURL = BuiltProducts.executable(product)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so a full stderr pipe cannot block the process while we read stdout.
        let errorData = LockedData()
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errorData.value, as: UTF8.self))
    }
}

/// Data handed from the stderr reader thread.
private final class LockedData: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}
