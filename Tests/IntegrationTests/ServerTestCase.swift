import FleetTesting
import Foundation
import XCTest

/// A test case with a real `breakerfleet serve` on free loopback ports, stopped after each test.
class ServerTestCase: XCTestCase {
    var pki: TestPKI!
    var server: ServerProcess!
    var admin: AdminClient!

    /// Extra `serve` flags for this test case.
    var serverArguments: [String] { [] }

    /// Runs before the server starts, e.g. to add a manufacturer CA it should trust.
    func preparePKI(_ pki: TestPKI) throws {}

    /// Whether setUp certifies BF-100 (the tests' model); false leaves the server as fresh as a new install.
    var certifiesTestModel: Bool { true }

    override func setUp() async throws {
        pki = try TestPKI()
        try preparePKI(pki)
        server = ServerProcess(pki: pki)
        try await server.start(extraArguments: serverArguments)
        admin = AdminClient(baseURL: server.baseURL, token: try server.adminToken())
        // Only certified models may be provisioned; the tests' devices are BF-100s.
        if certifiesTestModel { try await admin.certify("BF-100") }
    }

    override func tearDown() async throws {
        try? await server?.stop()
        if let run = testRun, run.failureCount > 0, let server { print("--- server log ---\n\(server.log)") }
        pki?.remove()
    }

    /// Provisions a device and returns a coap-client speaking as it.
    func provisionedClient(_ serial: String, model: String = "BF-100") async throws -> CoAPClient {
        let files = try await admin.provision(serial, model: model, into: pki.directory.appendingPathComponent("provisioned"))
        return CoAPClient(device: files)
    }

    func uri(_ path: String) -> String { "\(server.coapsURI)\(path)" }

    /// The CLI speaking to this server with `secret` as its token (written to a file, as an operator would).
    func cli(token secret: String) throws -> CLIRunner {
        let file = pki.directory.appendingPathComponent("token-\(UUID().uuidString.prefix(8))")
        try Data(secret.utf8).write(to: file)
        return CLIRunner(server: server.baseURL, tokenFile: file)
    }

    /// Provisions `count` simulated breakers of `model` at `site` (`breaker-sim provision`) into a folder.
    func provisionSimulated(_ count: Int, model: String, site: String, prefix: String) throws -> URL {
        let folder = pki.directory.appendingPathComponent("simulated")
        let provision = try CLIRunner.execute([
            "provision", "--count", "\(count)", "--out", folder.path, "--issue-via", server.baseURL.absoluteString,
            "--token-file", server.adminTokenURL.path, "--model", model, "--site", site, "--serial-prefix", prefix,
        ], product: "breaker-sim")
        XCTAssertEqual(provision.status, 0, provision.output)
        return folder
    }

    /// Starts `breaker-sim run` against the server with `arguments` after `--server`; its output goes to
    /// `simulator.log` in the test's folder. The caller interrupts it.
    func startSimulator(_ arguments: [String]) throws -> Process {
        let output = pki.directory.appendingPathComponent("simulator.log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let simulator = Process()
        simulator.executableURL = BuiltProducts.executable("breaker-sim")
        simulator.arguments = ["run", "--server", server.coapsURI] + arguments
        let log = try FileHandle(forWritingTo: output)
        simulator.standardOutput = log
        simulator.standardError = log
        try simulator.run()
        return simulator
    }

    static let registration = #"{"model":"BF-100","fw":"1.2.0","hw":"r2","caps":["temperature","leakage"],"lifetime":86400}"#

    static func pack(_ serial: String, voltage: Double = 229.8, energy: Double = 1200) -> String {
        #"[{"bn":"urn:dev:sn:\#(serial):","n":"voltage_l1","u":"V","v":\#(voltage)},{"n":"leakage","u":"A","v":0.012},{"n":"energy","u":"Wh","v":\#(energy)},{"n":"breaker","vs":"closed"}]"#
    }

    /// Waits until the admin API shows what the device plane acknowledged (the store is fed asynchronously).
    func waitForDevice(_ serial: String, until condition: @escaping ([String: Any]) -> Bool) async throws -> [String: Any] {
        var latest: [String: Any] = [:]
        try await Deadline.wait("device \(serial) in the admin API", timeout: 15) {
            latest = try await self.admin.get("/api/v1/devices/\(serial)").json
            return condition(latest)
        }
        return latest
    }

    /// A shipped profile file (`Profiles/ID.json`) as a JSON document, changed by `change`.
    func shippedProfile(_ id: String, _ change: (inout [String: Any]) -> Void) throws -> Data {
        let file = server.profilesDirectory.appendingPathComponent("\(id).json")
        var document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        change(&document)
        return try JSONSerialization.data(withJSONObject: document)
    }

    /// `commerce` as `arc-trip`, with `arc.action: trip`: only models with `arc_extinguish` can carry it out.
    func arcTripProfile() throws -> Data {
        try shippedProfile("commerce") {
            $0["id"] = "arc-trip"
            $0.set("arc", "action", "trip")
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// Sets `group.field` in a profile document.
    mutating func set(_ group: String, _ field: String, _ value: Any) {
        var members = self[group] as? [String: Any] ?? [:]
        members[field] = value
        self[group] = members
    }
}
