import Foundation

/// A real HTTP receiver on a loopback port (Python's http.server in a child process), standing in for a
/// site manager's system: it records every request (headers and exact body bytes) and answers with the
/// statuses it was given, in order, then 200.
public final class WebhookReceiver: @unchecked Sendable {
    public struct Request: Sendable {
        public let headers: [String: String]
        public let body: [UInt8]
    }

    public let port: Int
    private let process: Process
    private let input = Pipe()
    private let log: URL

    private static let script = #"""
import base64, http.server, json, os, sys, threading
port, log, statuses = int(sys.argv[1]), sys.argv[2], [int(s) for s in sys.argv[3].split(",") if s]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status = statuses.pop(0) if statuses else 200
        with open(log, "a") as f:
            f.write(json.dumps({"headers": {k.lower(): v for k, v in self.headers.items()},
                                "body": base64.b64encode(body).decode(), "status": status}) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
# Ends when the test closes stdin: `python3` may be a launcher script (pyenv), so a signal could miss it.
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
server = http.server.HTTPServer(("127.0.0.1", port), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    /// Starts it on `port` (0: any free port) answering `statuses` first.
    public init(port: Int = 0, statuses: [Int] = []) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString).jsonl")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, String(port), log.path, statuses.map(String.init).joined(separator: ",")]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        // The first line is the bound port: the receiver listens once it is printed.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        guard let bound = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "webhook receiver did not start"])
        }
        self.port = bound
    }

    deinit { stop() }

    public var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Every request so far, in order.
    public func requests() -> [Request] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let headers = object["headers"] as? [String: String], let body = object["body"] as? String,
                  let bytes = Data(base64Encoded: body) else { return nil }
            return Request(headers: headers, body: [UInt8](bytes))
        }
    }

    public func stop() {
        // Closing its stdin ends it (see the script); it exits within moments.
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.waitUntilExit() }
        try? FileManager.default.removeItem(at: log)
    }
}
