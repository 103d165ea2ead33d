import CoAPTransport
import FleetTesting
import Foundation
import XCTest

/// The device side of remote commands against a real server over real DTLS: commands issued through the
/// admin API and CLI reach devices (pushed while connected, listed at the next contact), results come back
/// once, and a device reaches only its own commands.
final class CommandDeliveryTests: ServerTestCase {
    private var engine: CoAPClientEngine!
    private var cli: CLIRunner { CLIRunner(server: server.baseURL, tokenFile: server.adminTokenURL) }

    override func setUp() async throws {
        try await super.setUp()
        engine = try CoAPClientEngine(configuration: .init(ackTimeout: 1))
        try engine.start()
    }

    override func tearDown() async throws {
        engine?.shutdown()
        try await super.tearDown()
    }

    /// A device of a model that can trip and reset remotely, installed at a commerce site.
    private func remoteCapableDevice(_ serial: String) async throws -> DeviceFiles {
        if try await admin.get("/api/v1/models/BF-200").status == 404 {
            try await admin.certify("BF-200", capabilities: ["temperature", "leakage", "remote_trip", "remote_reset"])
            try await admin.addSite("yanhu-market", county: "140802")
        }
        let files = try await admin.provision(serial, model: "BF-200", into: pki.directory.appendingPathComponent("devices"))
        let installed = try await admin.post("/api/v1/devices/\(serial)/installation", json: ["site": "yanhu-market", "circuit": "L-\(serial)"])
        XCTAssertEqual(installed.status, 200, installed.text)
        return files
    }

    private func connect(_ files: DeviceFiles) async throws -> ScriptedDevice {
        try await ScriptedDevice.connect(files, engine: engine, port: server.coapsPort)
    }

    private func issue(_ action: String, _ serial: String, ttl: Int? = nil) async throws -> String {
        var body: [String: Any] = ["serial": serial, "action": action, "reason": "test \(action)"]
        if let ttl { body["ttl_s"] = ttl }
        let answer = try await admin.post("/api/v1/commands", json: body)
        XCTAssertEqual(answer.status, 201, answer.text)
        return try XCTUnwrap(answer.json["id"] as? String, answer.text)
    }

    /// GETs the device's list until it holds `id`. The device plane learns of a new command from the store a
    /// moment after the API answered; a GET in that moment lists nothing yet (a real device learns of it from
    /// the notification or its next heartbeat), so the test asks again rather than race it.
    private func fetch(_ id: String, by device: ScriptedDevice) async throws {
        try await Deadline.wait("\(id) listed to the device", timeout: 10) {
            await device.request(.get, "/v1/commands").text.contains(id)
        }
    }

    private func command(_ id: String) async throws -> [String: Any] {
        try await admin.get("/api/v1/commands/\(id)").json
    }

    private func states(_ command: [String: Any]) -> [String] {
        (command["transitions"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
    }

    @discardableResult
    private func waitFor(_ id: String, _ state: String, timeout: Double = 15) async throws -> [String: Any] {
        var latest: [String: Any] = [:]
        do {
            try await Deadline.wait("\(id) to be \(state)", timeout: timeout) {
                latest = try await self.command(id)
                return latest["state"] as? String == state
            }
        } catch {
            XCTFail("\(error); last: \(latest)")
            throw error
        }
        return latest
    }

    func testATripReachesAnObservingDeviceAndIsRecordedDeliveredThenDoneWithTheBreakerOpen() async throws {
        let device = try await connect(try await remoteCapableDevice("BRK-C001"))
        let registered = await device.register()
        XCTAssertEqual(registered.code, "2.04", "provisioned before: \(registered)")
        XCTAssertEqual(registered.json["pending_commands"] as? Int, 0)
        try await device.observeCommands()
        XCTAssertEqual(device.commandLists, [[]])

        let issued = try cli.run(["command", "trip", "BRK-C001", "--reason", "arc fault reported, night shift"])
        XCTAssertEqual(issued.status, 0, "\(issued)")
        let id = try XCTUnwrap(issued.stdout.split(separator: ":").first.map(String.init), issued.stdout)
        try await Deadline.wait("the notification carrying \(id)", timeout: 10) {
            device.commandLists.last?.map(\.id) == [id]
        }
        XCTAssertEqual(device.commandLists.last?.first?.action, "trip")
        // The device acknowledged the confirmable notification: the probe told the server.
        let delivered = try await waitFor(id, "delivered")
        XCTAssertEqual(states(delivered), ["queued", "sent", "delivered"])

        let reported = await device.report(id, "done", breaker: "open")
        XCTAssertEqual(reported.code, "2.04", "\(reported)")
        let done = try await waitFor(id, "done")
        XCTAssertEqual(done["breaker"] as? String, "open")
        XCTAssertEqual(states(done), ["queued", "sent", "delivered", "done"])
        let shown = try cli.run(["command", "show", id])
        XCTAssertTrue(shown.stdout.contains("breaker open"), "\(shown)")
    }

    func testAnOfflineDeviceGetsItsCommandsAtItsNextContactInIssueOrder() async throws {
        let files = try await remoteCapableDevice("BRK-C002")
        let trip = try await issue("trip", "BRK-C002")
        let selfTest = try await issue("self_test", "BRK-C002")

        let device = try await connect(files)
        let registered = await device.register()
        XCTAssertEqual(registered.json["pending_commands"] as? Int, 2, "\(registered)")
        let heartbeat = await device.request(.post, "/v1/heartbeat", json: #"{"uptime_s":42,"rssi":-71}"#)
        XCTAssertEqual(heartbeat.code, "2.04", "\(heartbeat)")
        XCTAssertEqual(heartbeat.json["pending_commands"] as? Int, 2)
        let empty = await device.request(.post, "/v1/heartbeat")
        XCTAssertEqual(empty.code, "2.04", "an empty heartbeat: \(empty)")

        let list = await device.request(.get, "/v1/commands")
        XCTAssertEqual(list.code, "2.05", "\(list)")
        let listed = try JSONDecoder().decode([ScriptedDevice.Listed].self, from: Data(list.payload))
        XCTAssertEqual(listed.map(\.id), [trip, selfTest], "issue order")
        XCTAssertEqual(listed.map(\.action), ["trip", "self_test"])
        // The piggy-backed answer is the receipt.
        let tripDelivered = try await waitFor(trip, "delivered")
        XCTAssertEqual(states(tripDelivered), ["queued", "delivered"])
        try await waitFor(selfTest, "delivered")

        for id in [trip, selfTest] {
            let reported = await device.report(id, "done", breaker: "open")
            XCTAssertEqual(reported.code, "2.04", "\(reported)")
        }
        try await waitFor(trip, "done")
        try await waitFor(selfTest, "done")
        let after = await device.request(.post, "/v1/heartbeat")
        XCTAssertEqual(after.json["pending_commands"] as? Int, 0, "\(after)")
        // A heartbeat is contact: it moves last_seen like any other message.
        let shown = try await waitForDevice("BRK-C002") { ($0["device"] as? [String: Any])?["last_seen"] is String }
        XCTAssertNotNil((shown["device"] as? [String: Any])?["last_seen"] as? String, "\(shown)")
    }

    func testADuplicateResultChangesNothing() async throws {
        let device = try await connect(try await remoteCapableDevice("BRK-C003"))
        _ = await device.register()
        let id = try await issue("trip", "BRK-C003")
        try await fetch(id, by: device)
        let answer1 = await device.report(id, "done", breaker: "open")
        XCTAssertEqual(answer1.code, "2.04")
        let first = try await waitFor(id, "done")

        let answer2 = await device.report(id, "done", breaker: "open")
        XCTAssertEqual(answer2.code, "2.04", "a repeat is answered like the first")
        let answer3 = await device.report(id, "failed", breaker: "closed")
        XCTAssertEqual(answer3.code, "2.04")
        // A later command that goes all the way through proves the repeats had their chance to land.
        let later = try await issue("self_test", "BRK-C003")
        try await fetch(later, by: device)
        let answer4 = await device.report(later, "done", breaker: "open")
        XCTAssertEqual(answer4.code, "2.04")
        try await waitFor(later, "done")
        let after = try await command(id)
        XCTAssertEqual(after["state"] as? String, "done")
        XCTAssertEqual(after["breaker"] as? String, "open")
        XCTAssertEqual(states(after), states(first), "no transition added")
    }

    func testADeviceCannotReadOrReportOnAnotherDevicesCommands() async throws {
        let filesA = try await remoteCapableDevice("BRK-C004")
        let deviceB = try await connect(try await remoteCapableDevice("BRK-C005"))
        let commandOfA = try await issue("trip", "BRK-C004")
        _ = await deviceB.register()

        let list = await deviceB.request(.get, "/v1/commands")
        XCTAssertEqual(list.code, "2.05")
        XCTAssertEqual(list.text, "[]", "B sees none of A's commands")
        let stolen = await deviceB.report(commandOfA)
        XCTAssertEqual(stolen.code, "4.04", "\(stolen)")
        XCTAssertTrue(stolen.text.contains(commandOfA) && stolen.text.contains("BRK-C005"), stolen.text)
        let unknown = await deviceB.report("cmd-0000000000000000")
        XCTAssertEqual(unknown.code, "4.04", "\(unknown)")
        let malformedID = await deviceB.report("not-a-command")
        XCTAssertEqual(malformedID.code, "4.04", "\(malformedID)")

        let own = try await issue("self_test", "BRK-C005")
        try await fetch(own, by: deviceB)
        let badResult = await deviceB.request(.post, "/v1/commands/\(own)", json: #"{"result":"maybe","breaker":"open"}"#)
        XCTAssertEqual(badResult.code, "4.00", "\(badResult)")
        XCTAssertTrue(badResult.text.hasPrefix("result:"), badResult.text)
        let noBreaker = await deviceB.request(.post, "/v1/commands/\(own)", json: #"{"result":"done"}"#)
        XCTAssertEqual(noBreaker.code, "4.00", "\(noBreaker)")
        XCTAssertTrue(noBreaker.text.contains("breaker: missing"), noBreaker.text)

        let ofA = try await command(commandOfA)
        XCTAssertEqual(ofA["state"] as? String, "queued", "untouched by B")
        XCTAssertEqual(states(ofA), ["queued"])
        // A itself still gets it.
        let deviceA = try await connect(filesA)
        let answer5 = await deviceA.register()
        XCTAssertEqual(answer5.json["pending_commands"] as? Int, 1)
    }

    func testAnExpiredCommandIsNeverGivenToTheDevice() async throws {
        let files = try await remoteCapableDevice("BRK-C006")
        let id = try await issue("trip", "BRK-C006", ttl: 10)
        // The device plane's sweeper expires it (every second) while the device is away.
        let expired = try await waitFor(id, "expired", timeout: 20)
        XCTAssertEqual(states(expired), ["queued", "expired"])

        let device = try await connect(files)
        let answer6 = await device.register()
        XCTAssertEqual(answer6.json["pending_commands"] as? Int, 0)
        let list = await device.request(.get, "/v1/commands")
        XCTAssertEqual(list.text, "[]")
        let after = try await command(id)
        XCTAssertEqual(states(after), ["queued", "expired"], "never sent, never executed")
    }

    func testAnAcknowledgedResultSurvivesAKillOfTheServer() async throws {
        let device = try await connect(try await remoteCapableDevice("BRK-C007"))
        _ = await device.register()
        let id = try await issue("trip", "BRK-C007")
        try await fetch(id, by: device)
        try await waitFor(id, "delivered")
        let reported = await device.report(id, "done", breaker: "open")
        XCTAssertEqual(reported.code, "2.04")
        // At once: the ingest pipeline gathers records for 100 ms before it writes to the store.
        try await server.kill9()
        try await server.start()
        let done = try await waitFor(id, "done")
        XCTAssertEqual(done["breaker"] as? String, "open")
        XCTAssertEqual(states(done), ["queued", "delivered", "done"])
    }
}
