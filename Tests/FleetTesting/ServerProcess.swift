import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `breakerfleet serve` process on free loopback ports, with its own data folder and test PKI.
public final class ServerProcess: @unchecked Sendable {
    // Mutated only by the test that owns it (start/stop/kill run sequentially in one test).
    public let pki: TestPKI
    public let dataDirectory: URL
    /// Picked free before the start; if another process takes one in between (the kernel cannot reserve a
    /// port for us), `start` picks new ones and tries again.
    public private(set) var coapsPort: UInt16
    public private(set) var httpPort: UInt16
    public let logURL: URL
    private var process: Process?

    public init(pki: TestPKI, dataDirectory: URL? = nil) {
        self.pki = pki
        self.dataDirectory = dataDirectory ?? pki.directory.appendingPathComponent("data-\(UUID().uuidString.prefix(8))")
        self.coapsPort = FreePort.udp()
        self.httpPort = FreePort.tcp()
        self.logURL = pki.directory.appendingPathComponent("server-\(UUID().uuidString.prefix(8)).log")
    }

    public var baseURL: URL { URL(string: "http://127.0.0.1:\(httpPort)")! }
    public var coapsURI: String { "coaps://127.0.0.1:\(coapsPort)" }
    public var adminTokenURL: URL { dataDirectory.appendingPathComponent("admin.token") }
    public var isRunning: Bool { process?.isRunning ?? false }
    /// The shipped threshold profiles, unless a test points the server elsewhere.
    public var profilesDirectory = BuiltProducts.packageRoot.appendingPathComponent("Profiles")

    public func adminToken() throws -> String {
        try String(contentsOf: adminTokenURL, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts the server and waits until its admin API answers `/healthz` (the CoAP side is up before it).
    /// A port taken between picking and binding it costs a retry on new ports, never a failed test.
    public func start(extraArguments: [String] = []) async throws {
        for attempt in 1...3 {
            let logged = log.utf8.count
            do {
                return try await startOnce(extraArguments: extraArguments)
            } catch let exited as ServerExited where attempt < 3 && Self.lostAPort(String(exited.log.utf8.dropFirst(logged)) ?? "") {
                coapsPort = FreePort.udp()
                httpPort = FreePort.tcp()
            }
        }
    }

    /// What `serve` says when a port it was given is taken (the CoAP or the HTTP endpoint).
    private static func lostAPort(_ log: String) -> Bool {
        log.contains("(in use?)") || log.localizedCaseInsensitiveContains("address already in use")
    }

    private func startOnce(extraArguments: [String]) async throws {
        let process = Process()
        process.executableURL = BuiltProducts.executable("breakerfleet")
        process.arguments = [
            "serve", "--data-dir", dataDirectory.path, "--pki-dir", pki.directory.path,
            "--coaps", "127.0.0.1:\(coapsPort)", "--http", "127.0.0.1:\(httpPort)", "--log-level", "info",
            "--profiles-dir", profilesDirectory.path,
        ] + extraArguments
        if !FileManager.default.fileExists(atPath: logURL.path) {
            _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logURL)
        try log.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        // A server that exits (e.g. refusing its PKI) ends the wait at once: errors inside the condition only
        // mean "not yet".
        try await Deadline.wait("the server's /healthz", timeout: 60) {
            if !process.isRunning { return true }
            return try await self.healthy()
        }
        guard process.isRunning else { throw ServerExited(log: self.log) }
    }

    struct ServerExited: Error, CustomStringConvertible {
        let log: String
        var description: String { "server exited during start:\n\(log)" }
    }

    /// The server's log so far (for failure messages).
    public var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    private func healthy() async throws -> Bool {
        let (_, response) = try await URLSession.shared.data(from: baseURL.appendingPathComponent("healthz"))
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    /// Graceful stop (SIGTERM), waiting for the process to exit.
    public func stop() async throws {
        guard let process, process.isRunning else { return }
        process.terminate()
        try await Deadline.wait("the server to exit", timeout: 30) { !process.isRunning }
    }

    /// A crash: SIGKILL, no chance to flush anything.
    public func kill9() async throws {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        try await Deadline.wait("the killed server to exit", timeout: 10) { !process.isRunning }
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
