import FleetTesting
import Foundation
import XCTest

/// The device API of spec/device-api.md, driven by libcoap's real client over a real DTLS handshake.
final class DeviceAPITests: ServerTestCase {
    func testRegisterAnswersCreatedThenChanged() async throws {
        let device = try await provisionedClient("BRK-0001")
        let first = try device.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50)
        XCTAssertEqual(first.code, "2.01", "\(first)")
        let answer = try JSONSerialization.jsonObject(with: Data(first.payload.utf8)) as? [String: Any]
        XCTAssertEqual(answer?["state"] as? String, "active")
        XCTAssertEqual(answer?["heartbeat_s"] as? Int, 120)
        XCTAssertEqual(answer?["pending_commands"] as? Int, 0)
        let second = try device.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50)
        XCTAssertEqual(second.code, "2.04", "\(second)")
        let shown = try await waitForDevice("BRK-0001") { ($0["device"] as? [String: Any])?["firmware"] as? String == "1.2.0" }
        let record = shown["device"] as? [String: Any]
        XCTAssertEqual(record?["state"] as? String, "active")
        XCTAssertEqual(record?["hardware"] as? String, "r2")
        XCTAssertNotNil(record?["last_seen"] as? String)
    }

    func testTelemetryIsStoredAndReadableThroughTheAdminAPI() async throws {
        let device = try await provisionedClient("BRK-0002")
        _ = try device.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50)
        let result = try device.send("POST", uri("/v1/telemetry"), payload: Self.pack("BRK-0002", voltage: 231.4), contentFormat: 110)
        XCTAssertEqual(result.code, "2.04", "\(result)")
        XCTAssertEqual(result.payload, #"{"alarms":[]}"#)
        let shown = try await waitForDevice("BRK-0002") { detail in
            (detail["latest"] as? [[String: Any]])?.contains { $0["name"] as? String == "voltage_l1" } == true
        }
        let latest = shown["latest"] as? [[String: Any]] ?? []
        let voltage = latest.first { $0["name"] as? String == "voltage_l1" }
        XCTAssertEqual(voltage?["value"] as? Double, 231.4)
        XCTAssertEqual(voltage?["unit"] as? String, "V")
        XCTAssertEqual(latest.first { $0["name"] as? String == "breaker" }?["string_value"] as? String, "closed")
        let history = try await admin.get("/api/v1/devices/BRK-0002/telemetry").json["telemetry"] as? [[String: Any]]
        XCTAssertEqual(history?.count, 1)
    }

    func testARepeatedEventIsCountedOnce() async throws {
        let device = try await provisionedClient("BRK-0003")
        _ = try device.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50)
        let event = #"{"id":"evt-42","type":"leakage","at":1764384000,"value":0.35,"phase":"l1","action":"alarm_only"}"#
        let first = try device.send("POST", uri("/v1/events"), payload: event, contentFormat: 50)
        XCTAssertEqual(first.code, "2.01", "\(first)")
        let repeated = try device.send("POST", uri("/v1/events"), payload: event, contentFormat: 50)
        XCTAssertEqual(repeated.code, "2.04", "\(repeated)")
        let other = try device.send("POST", uri("/v1/events"), payload: event.replacingOccurrences(of: "evt-42", with: "evt-43"), contentFormat: 50)
        XCTAssertEqual(other.code, "2.01", "\(other)")
        let detail = try await waitForDevice("BRK-0003") { ($0["events"] as? [Any])?.count == 2 }
        let ids = (detail["events"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.sorted()
        XCTAssertEqual(ids, ["evt-42", "evt-43"])
    }

    func testBadBodiesGetPreciseDiagnosticsAndChangeNothing() async throws {
        let device = try await provisionedClient("BRK-0004")
        _ = try device.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50)

        let malformed = try device.send("POST", uri("/v1/register"), payload: #"{"model":"BF-100","fw":}"#, contentFormat: 50)
        XCTAssertEqual(malformed.code, "4.00", "\(malformed)")
        XCTAssertTrue(malformed.output.contains("malformed JSON"), "\(malformed)")

        let wrongUnit = #"[{"bn":"urn:dev:sn:BRK-0004:","n":"voltage_l1","u":"mV","v":229800}]"#
        let unit = try device.send("POST", uri("/v1/telemetry"), payload: wrongUnit, contentFormat: 110)
        XCTAssertEqual(unit.code, "4.00", "\(unit)")
        XCTAssertTrue(unit.output.contains("[0].u: unit mV is not V for voltage_l1"), "\(unit)")

        let lifetime = try device.send("POST", uri("/v1/register"), payload: #"{"model":"BF-100","fw":"1.0","lifetime":5}"#, contentFormat: 50)
        XCTAssertEqual(lifetime.code, "4.00", "\(lifetime)")
        XCTAssertTrue(lifetime.output.contains("lifetime: 5 is below 60"), "\(lifetime)")

        let format = try device.send("POST", uri("/v1/telemetry"), payload: Self.pack("BRK-0004"), contentFormat: 50)
        XCTAssertEqual(format.code, "4.15", "\(format)")
        XCTAssertTrue(format.output.contains("Content-Format 50 is not 110"), "\(format)")

        let method = try device.send("GET", uri("/v1/telemetry"))
        XCTAssertEqual(method.code, "4.05", "\(method)")

        let missing = try device.send("GET", uri("/v1/nothing-here"))
        XCTAssertEqual(missing.code, "4.04", "\(missing)")

        let detail = try await admin.get("/api/v1/devices/BRK-0004/telemetry").json
        XCTAssertEqual((detail["telemetry"] as? [Any])?.count, 0, "refused telemetry must not be stored")
    }

    func testAnUnprovisionedDeviceWithAFleetCertificateIsForbidden() async throws {
        // Signed by the fleet CA but never recorded (e.g. deleted): it may connect, but gets 4.03.
        let device = CoAPClient(device: try pki.device("BRK-GHOST"))
        let result = try device.send("POST", uri("/v1/register"), payload: Self.registration, contentFormat: 50)
        XCTAssertEqual(result.code, "4.03", "\(result)")
        XCTAssertTrue(result.output.contains("not provisioned"), "\(result)")
        let telemetry = try device.send("POST", uri("/v1/telemetry"), payload: Self.pack("BRK-GHOST"), contentFormat: 110)
        XCTAssertEqual(telemetry.code, "4.03", "\(telemetry)")
    }

    func testTimeAndDiscovery() async throws {
        let device = try await provisionedClient("BRK-0005")
        let before = Int(Date().timeIntervalSince1970)
        let time = try device.send("GET", uri("/v1/time"))
        XCTAssertEqual(time.code, "2.05", "\(time)")
        let now = (try JSONSerialization.jsonObject(with: Data(time.payload.utf8)) as? [String: Any])?["now"] as? Int ?? 0
        XCTAssertTrue((before - 1...before + 5).contains(now), "now \(now) vs \(before)")
        let core = try device.send("GET", uri("/.well-known/core"))
        XCTAssertEqual(core.code, "2.05", "\(core)")
        for link in ["</v1/register>", "</v1/telemetry>;ct=110", "</v1/events>", "</v1/time>"] {
            XCTAssertTrue(core.payload.contains(link), "\(link) missing from \(core.payload)")
        }
    }
}
