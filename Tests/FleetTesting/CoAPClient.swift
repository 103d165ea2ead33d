import Foundation

/// Runs libcoap's real `coap-client-openssl`. It exits 0 even when a request fails, so the result is read
/// from its output: the response code from the PDU log (`-v 6`), the payload from the `-o` file.
public struct CoAPClient: Sendable {
    public struct Result: Sendable, CustomStringConvertible {
        /// `2.05`, `4.00`, … or nil when nothing came back (handshake refused, timeout).
        public let code: String?
        public let payload: String
        /// The payload as received, for binary answers (certificates).
        public let payloadData: Data
        public let output: String

        /// The DTLS alert the client received, e.g. `bad certificate` (from libcoap's `SSL3 alert read:fatal:…`).
        public var dtlsAlert: String? {
            guard let range = output.range(of: #"alert read:fatal:[a-z ]+"#, options: .regularExpression) else { return nil }
            return String(output[range].dropFirst("alert read:fatal:".count)).trimmingCharacters(in: .whitespaces)
        }

        public var description: String { "code \(code ?? "none"), payload \(payload)\n--- output ---\n\(output)" }
    }

    public let device: DeviceFiles?
    /// A DTLS-PSK identity and key (`-u`/`-k`), for PSK-only models.
    public let presharedKey: (identity: String, key: String)?
    public let executable: String

    public init(device: DeviceFiles?, executable: String = "/usr/bin/coap-client-openssl") {
        self.device = device
        self.presharedKey = nil
        self.executable = executable
    }

    public init(pskIdentity: String, key: String, executable: String = "/usr/bin/coap-client-openssl") {
        self.device = nil
        self.presharedKey = (pskIdentity, key)
        self.executable = executable
    }

    /// Sends one request. `contentFormat` is a number (50 JSON, 110 SenML JSON).
    public func send(
        _ method: String, _ uri: String, payload: String? = nil, contentFormat: Int? = nil, timeout: Int = 5,
        extraArguments: [String] = [], body: Data? = nil
    ) throws -> Result {
        var arguments = ["-m", method.lowercased(), "-B", "\(timeout)", "-v", "6"] + extraArguments
        if let device {
            arguments += ["-c", device.certificateURL.path, "-j", device.keyURL.path, "-C", device.caURL.path]
        }
        if let presharedKey { arguments += ["-u", presharedKey.identity, "-k", presharedKey.key] }
        if let contentFormat { arguments += ["-t", "\(contentFormat)"] }
        var payloadFile: URL?
        if let bytes = payload.map({ Data($0.utf8) }) ?? body {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("coap-\(UUID().uuidString)")
            try bytes.write(to: file)
            arguments += ["-f", file.path]
            payloadFile = file
        }
        // The received payload goes to its own file: stdout mixes it with the PDU log lines.
        let answerFile = FileManager.default.temporaryDirectory.appendingPathComponent("coap-answer-\(UUID().uuidString)")
        arguments += ["-o", answerFile.path]
        defer {
            payloadFile.map { try? FileManager.default.removeItem(at: $0) }
            try? FileManager.default.removeItem(at: answerFile)
        }
        arguments.append(uri)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let answer = (try? Data(contentsOf: answerFile)) ?? Data()
        return Self.parse(stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self), answer: answer)
    }

    static func parse(stdout: String, stderr: String, answer: Data) -> Result {
        let output = stderr + stdout
        // With -v 6 coap-client logs each PDU it receives as `v:1 t:ACK c:2.04 i:… {…} [ … ] :: 'payload'`.
        var code: String?
        for line in output.split(separator: "\n") where line.contains("v:1 ") && (line.contains("t:ACK") || line.contains("t:CON") || line.contains("t:NON")) {
            if let range = line.range(of: #"c:[0-9]\.[0-9]{2}"#, options: .regularExpression),
               !line.contains("c:0.0") {
                let candidate = String(line[range].dropFirst(2))
                if !candidate.hasPrefix("0.") { code = candidate }
            }
        }
        return Result(code: code, payload: String(decoding: answer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
                      payloadData: answer, output: output)
    }
}
