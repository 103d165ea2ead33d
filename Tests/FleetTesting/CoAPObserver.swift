import Foundation
import Synchronization

/// Observes a resource with libcoap's real `coap-client-openssl -s` (RFC 7641) and collects the PDU log
/// it prints, so a test can wait for a notification. Stopped by `stop()` or after `seconds`.
public final class CoAPObserver: Sendable {
    private let process: Process
    private let output = OutputBuffer()

    /// Starts observing `uri` as `device` for at most `seconds`.
    public init(device: DeviceFiles, uri: String, seconds: Int = 60,
                executable: String = "/usr/bin/coap-client-openssl") throws {
        let process = Process()
        // stdbuf: coap-client block-buffers a pipe, and the test reads while it runs.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/stdbuf")
        process.arguments = ["-o0", "-e0", executable, "-s", "\(seconds)", "-B", "\(seconds + 5)", "-v", "6",
                             "-c", device.certificateURL.path, "-j", device.keyURL.path, "-C", device.caURL.path, uri]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        self.process = process
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            guard !chunk.isEmpty else { return }
            output.text.withLock { $0 += String(decoding: chunk, as: UTF8.self) }
        }
        try process.run()
    }

    /// Everything printed so far.
    public var log: String { output.text.withLock { $0 } }

    /// The PDUs received from the server (`v:1 t:… c:2.05 … [ ETag:0x07, Observe:5, … ]`), in order.
    public var receivedResponses: [String] {
        log.split(separator: "\n").map(String.init).filter { line in
            line.contains("v:1 ") && line.contains(" c:") && !line.contains("c:GET") && !line.contains("c:0.00")
        }
    }

    /// Waits until a received response carries `etag` (the bytes of a number, as coap-client prints them).
    public func waitForETag(_ number: Int, timeout: Double = 15) async throws {
        let expected = "ETag:0x" + Self.etagHex(number)
        try await Deadline.wait("a notification with \(expected)", timeout: timeout) {
            self.receivedResponses.contains { $0.uppercased().contains(expected.uppercased()) }
        }
    }

    /// Ends the observation the way a person would (Ctrl-C): coap-client ignores SIGTERM until `-s` runs out.
    public func stop() {
        if process.isRunning { process.interrupt() }
        let end = Date().addingTimeInterval(3)
        while process.isRunning && Date() < end { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    static func etagHex(_ number: Int) -> String {
        var value = UInt64(number)
        var bytes: [UInt8] = []
        repeat {
            bytes.insert(UInt8(value & 0xFF), at: 0)
            value >>= 8
        } while value != 0
        return bytes.map { String(format: "%02X", $0) }.joined()
    }
}

/// Shared between the observer and the pipe's reading handler.
private final class OutputBuffer: Sendable {
    let text = Mutex("")
}
