import DeviceWire
import FleetDomain
import Foundation
import XCTest

final class DeviceResponsesTests: XCTestCase {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private struct TestAlarm: JSONWritable {
        var type: String
        var value: Double

        func write(to writer: inout JSONWriter) {
            writer.beginObject()
            writer.key("type")
            writer.value(type)
            writer.key("value")
            writer.value(value)
            writer.endObject()
        }
    }

    func testTime() {
        XCTAssertEqual(text(DeviceResponses.time(now: 1_764_384_000)), #"{"now":1764384000}"#)
        XCTAssertEqual(text(DeviceResponses.time(now: 0)), #"{"now":0}"#)
        XCTAssertEqual(text(DeviceResponses.time(now: -1)), #"{"now":-1}"#)
        XCTAssertEqual(text(DeviceResponses.time(now: .max)), #"{"now":9223372036854775807}"#)
        XCTAssertEqual(text(DeviceResponses.time(now: .min)), #"{"now":-9223372036854775808}"#)
        XCTAssertEqual(text(DeviceResponses.time(now: Date(timeIntervalSince1970: 1_764_384_000.999))), #"{"now":1764384000}"#)
    }

    func testRegistration() {
        XCTAssertEqual(
            text(DeviceResponses.registration(
                state: .active, heartbeatSeconds: 120, profileVersion: nil, firmwareVersion: nil, pendingCommands: 0)),
            #"{"state":"active","heartbeat_s":120,"profile_version":null,"firmware_version":null,"pending_commands":0}"#)
        XCTAssertEqual(
            text(DeviceResponses.registration(
                state: .unassigned, heartbeatSeconds: 300, profileVersion: 7, firmwareVersion: "1.5.0", pendingCommands: 2)),
            #"{"state":"unassigned","heartbeat_s":300,"profile_version":7,"firmware_version":"1.5.0","pending_commands":2}"#)
    }

    func testTelemetry() {
        XCTAssertEqual(text(DeviceResponses.telemetryWithoutAlarms), #"{"alarms":[]}"#)
        XCTAssertEqual(text(DeviceResponses.telemetry(alarms: [])), #"{"alarms":[]}"#)
        let bytes = DeviceResponses.telemetry(alarms: [
            TestAlarm(type: "leakage", value: 0.35), TestAlarm(type: "over_temperature", value: 71.5),
        ])
        XCTAssertEqual(text(bytes), #"{"alarms":[{"type":"leakage","value":0.35},{"type":"over_temperature","value":71.5}]}"#)
    }

    func testStringEscapingRoundTrips() throws {
        let tricky = "q\"uote \\ slash/ \u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}\u{7F} é 中 🔥"
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("k\"\n")
        writer.value(tricky)
        writer.endObject()
        XCTAssertEqual(text(writer.bytes),
                       #"{"k\"\n":"q\"uote \\ slash/ \u0000\u0001\b\t\n\f\r\u001f"# + "\u{7F} é 中 🔥\"}")
        let decoded = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: String]
        XCTAssertEqual(decoded, ["k\"\n": tricky])
    }

    func testWriterValuesAndNesting() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.value(1)
        writer.value(-2.5)
        writer.value(Double.nan)
        writer.value(true)
        writer.value(nil as String?)
        writer.beginObject()
        writer.endObject()
        writer.beginArray()
        writer.value(UInt8(7))
        writer.endArray()
        writer.endArray()
        XCTAssertEqual(text(writer.bytes), "[1,-2.5,null,true,null,{},[7]]")
    }
}
