import DeviceWire
import FleetDomain
import XCTest

/// `POST /v1/events` bodies: every field, both sides of every bound.
final class EventBodyTests: XCTestCase {
    private func parse(_ json: String) throws(DeviceAPIError) -> EventReport {
        try DeviceRequestParser.event(Array(json.utf8))
    }

    private func assertRefused(_ json: String, _ diagnostic: String, line: UInt = #line) {
        assertBadRequest(diagnostic, line: line) { () throws(DeviceAPIError) in try parse(json) }
    }

    /// `{"id":"e-1","type":"leakage","at":1764384000` + `extra` + `}`.
    private func body(id: String = #""e-1""#, type: String = #""leakage""#, at: String = "1764384000", _ extra: String = "") -> String {
        #"{"id":\#(id),"type":\#(type),"at":\#(at)\#(extra)}"#
    }

    func testFullAndMinimalBodies() throws {
        XCTAssertEqual(try parse(body(#","value":0.35,"phase":"l2","action":"tripped""#)),
                       EventReport(id: "e-1", type: .leakage, at: 1_764_384_000, value: 0.35, phase: "l2", action: .tripped))
        XCTAssertEqual(try parse(body()), EventReport(id: "e-1", type: .leakage, at: 1_764_384_000))
        XCTAssertEqual(try parse(body(#","value":null,"phase":null,"action":null,"extra":{"a":1}"#)),
                       EventReport(id: "e-1", type: .leakage, at: 1_764_384_000))
    }

    func testID() throws {
        assertRefused(#"{"type":"trip","at":1}"#, "id: missing")
        assertRefused(body(id: #""""#), "id: empty")
        let longest = String(repeating: "~", count: 63) + " "
        XCTAssertEqual(try parse(body(id: #""\#(longest)""#)).id, longest)
        assertRefused(body(id: #""\#(longest)x""#), "id: 65 bytes is above 64")
        assertRefused(body(id: #""caf\u00e9""#), "id: café has a character outside printable ASCII")
        assertRefused(body(id: #""a\tb""#), #"id: a\u{9}b has a control character"#)
        assertRefused(body(id: "17"), "id: expected a string, found a number")
    }

    func testType() throws {
        for type in EventType.allCases {
            XCTAssertEqual(try parse(body(type: #""\#(type.rawValue)""#)).type, type)
        }
        assertRefused(#"{"id":"e","at":1}"#, "type: missing")
        assertRefused(body(type: "null"), "type: null, expected a value")
        assertRefused(body(type: #""explosion""#), "type: explosion is not one of arc_fault, over_temperature, leakage, "
                      + "overload, short_circuit, over_voltage, under_voltage, phase_loss, trip, reset, self_test, "
                      + "power_loss, power_restored")
        assertRefused(body(type: #""Trip""#), "type: Trip is not one of arc_fault, over_temperature, leakage, "
                      + "overload, short_circuit, over_voltage, under_voltage, phase_loss, trip, reset, self_test, "
                      + "power_loss, power_restored")
        assertRefused(body(type: "3"), "type: expected a string, found a number")
    }

    func testAt() throws {
        assertRefused(#"{"id":"e","type":"trip"}"#, "at: missing")
        assertRefused(body(at: "0"), "at: 0 is below 1")
        assertRefused(body(at: "-5"), "at: -5 is below 1")
        XCTAssertEqual(try parse(body(at: "1")).at, 1)
        XCTAssertEqual(try parse(body(at: "253402300799")).at, 253_402_300_799)
        assertRefused(body(at: "253402300800"), "at: 253402300800 is above 253402300799")
        assertRefused(body(at: "1764384000.5"), "at: 1764384000.5 is not an integer")
        assertRefused(body(at: #""1764384000""#), "at: expected an integer, found a string")
    }

    func testValuePhaseAction() throws {
        XCTAssertEqual(try parse(body(#","value":-3"#)).value, -3)
        assertRefused(body(#","value":"3""#), "value: expected a number, found a string")
        assertRefused(body(#","value":1e999"#), "value: 1e999 is out of range")
        for phase in ["l1", "l2", "l3", "n"] {
            XCTAssertEqual(try parse(body(#","phase":"\#(phase)""#)).phase, phase)
        }
        assertRefused(body(#","phase":"l4""#), "phase: l4 is not one of l1, l2, l3, n")
        assertRefused(body(#","phase":"L1""#), "phase: L1 is not one of l1, l2, l3, n")
        assertRefused(body(#","phase":1"#), "phase: expected a string, found a number")
        XCTAssertEqual(try parse(body(#","action":"alarm_only""#)).action, .alarmOnly)
        assertRefused(body(#","action":"trip""#), "action: trip is not one of tripped, alarm_only")
    }

    func testBodyShape() {
        assertRefused("[1]", "body: expected a JSON object, found an array")
        assertRefused(#"{"id":"e","type":"trip","at":1"#, malformed(30, "expected ',' or '}', found end of body"))
        assertRefused(#"{"id":"e","type":"trip","at":01}"#, malformed(29, "number with a leading zero"))
        assertRefused(#"{"id":"e","id":"f","type":"trip","at":1}"#, "id: duplicate field")
    }
}
