import CoAPTransport
import FleetTesting
import Foundation
import Synchronization

/// A device a test drives step by step over real DTLS (the simulator's client engine): it registers,
/// observes `/v1/commands` and keeps every list it was given, and sends exactly what the test says.
final class ScriptedDevice: Sendable {
    struct Listed: Decodable, Equatable, Sendable {
        var id: String
        var action: String
        var issued: Int64
        var expires: Int64
        var inspectedBy: String?

        enum CodingKeys: String, CodingKey {
            case id, action, issued, expires
            case inspectedBy = "inspected_by"
        }
    }

    struct Answer: CustomStringConvertible {
        var code: String
        var payload: [UInt8]
        var text: String { String(decoding: payload, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any] ?? [:] }
        var description: String { "\(code) \(text)" }
    }

    let serial: String
    private let session: CoAPClientSession
    private let lists = ListBox()

    private init(serial: String, session: CoAPClientSession) {
        self.serial = serial
        self.session = session
    }

    /// Connects as the device of `files`; waits for the handshake.
    static func connect(_ files: DeviceFiles, engine: CoAPClientEngine, port: UInt16) async throws -> ScriptedDevice {
        let credentials = try CoAPClientCredentials(
            certificatePEM: files.certificateURL, privateKeyPEM: files.keyURL, serverAuthorityPEM: files.caURL)
        let connected = Mutex<CoAPClientSession?>(nil)
        let session = engine.connect(to: .init(host: "127.0.0.1", port: port), credentials: credentials) { session, event in
            if event == .connected { connected.withLock { $0 = session } }
        }
        try await Deadline.wait("\(files.serial) to connect", timeout: 20) { connected.withLock { $0 != nil } }
        return ScriptedDevice(serial: files.serial, session: session)
    }

    /// Sends one request and waits for its answer ("timeout" and the like when none came).
    func request(_ method: CoAPMethod, _ path: String, json: String? = nil) async -> Answer {
        let request = CoAPClientRequest(method, path, contentFormat: json == nil ? nil : .json, payload: Array((json ?? "").utf8))
        return await withCheckedContinuation { continuation in
            session.perform { session in
                session.send(request) { result in
                    switch result {
                    case .success(let response): continuation.resume(returning: Answer(code: response.code.description, payload: response.payload))
                    case .failure(let failure): continuation.resume(returning: Answer(code: "\(failure)", payload: []))
                    }
                }
            }
        }
    }

    func register() async -> Answer {
        await request(.post, "/v1/register", json: #"{"model":"BF-200","fw":"1.0.0"}"#)
    }

    func report(_ id: String, _ result: String = "done", breaker: String = "open") async -> Answer {
        await request(.post, "/v1/commands/\(id)", json: #"{"result":"\#(result)","breaker":"\#(breaker)"}"#)
    }

    /// Observes `/v1/commands`; waits for the first answer.
    func observeCommands() async throws {
        let lists = self.lists
        session.perform { session in
            session.observe("/v1/commands") { result in
                guard case .success(let response) = result, response.code == .content,
                      let list = try? JSONDecoder().decode([Listed].self, from: Data(response.payload)) else { return }
                lists.withLock { $0.append(list) }
            }
        }
        try await Deadline.wait("the first answer of /v1/commands", timeout: 10) { lists.withLock { !$0.isEmpty } }
    }

    /// Every list the observation brought, the first answer first.
    var commandLists: [[Listed]] { lists.withLock { $0 } }
}

/// The lists a device was given, shared with the observation's handler on the loop thread.
private final class ListBox: Sendable {
    private let lists = Mutex<[[ScriptedDevice.Listed]]>([])

    func withLock<T>(_ body: (inout [[ScriptedDevice.Listed]]) -> T) -> T { lists.withLock { body(&$0) } }
}
