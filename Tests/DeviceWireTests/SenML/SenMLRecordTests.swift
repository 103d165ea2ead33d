import DeviceWire
import FleetDomain
import XCTest

/// The pack and record rules: limits, names, value fields, labels.
final class SenMLRecordTests: XCTestCase {
    private func records(_ count: Int) -> String {
        "[" + (0..<count).map { #"{"n":"r\#($0)","v":\#($0)}"# }.joined(separator: ",") + "]"
    }

    func testAtMost256Records() throws {
        XCTAssertEqual(try parsePack(records(256)).measurements.count, 256)
        assertPackRefused(records(257), "pack has more than 256 records")
    }

    func testEmptyPackAndWrongTopLevel() {
        assertPackRefused("[]", "pack is empty")
        assertPackRefused(" [ \n ] ", "pack is empty")
        assertPackRefused(#"{"n":"power","u":"W","v":1}"#, "body: expected a SenML pack (a JSON array of records), found an object")
        assertPackRefused("42", "body: expected a SenML pack (a JSON array of records), found a number")
        assertPackRefused("", "body: empty, expected a SenML pack")
        assertPackRefused("  ", malformed(2, "expected '[', found end of body"))
        assertPackRefused(#"[1]"#, "[0]: expected a record (an object), found a number")
        assertPackRefused(#"[{"n":"x","v":1},"x"]"#, "[1]: expected a record (an object), found a string")
        assertPackRefused(#"[{"n":"x","v":1},[]]"#, "[1]: expected a record (an object), found an array")
    }

    func testNames() throws {
        let longest = "a" + String(repeating: "b", count: 63)
        XCTAssertEqual(try parsePack(#"[{"n":"\#(longest)","v":1}]"#).measurements.first?.name, longest)
        XCTAssertEqual(try parsePack(#"[{"n":"A-z.0/9:_","v":1}]"#).measurements.first?.name, "A-z.0/9:_")
        assertPackRefused(#"[{"n":"\#(longest)c","v":1}]"#, "[0].n: name of 65 bytes is longer than 64")
        assertPackRefused(#"[{"v":1}]"#, "[0].n: missing")
        assertPackRefused(#"[{"bn":"urn:dev:sn:BRK-0001:","v":1}]"#, "[0].n: missing")
        assertPackRefused(#"[{"n":"","v":1}]"#, "[0].n: empty name")
        assertPackRefused(#"[{"n":"urn:dev:sn:BRK-0001:","v":1}]"#, "[0].n: empty name")
        assertPackRefused(#"[{"n":"_x","v":1}]"#, "[0].n: _x does not start with a letter or digit")
        assertPackRefused(#"[{"n":"a b","v":1}]"#, "[0].n: a b has a character outside A-Z a-z 0-9 - : . / _")
        assertPackRefused(#"[{"n":"temp\u00e9","v":1}]"#, "[0].n: tempé has a character outside A-Z a-z 0-9 - : . / _")
        assertPackRefused(#"[{"n":"a\nb","v":1}]"#, #"[0].n: a\u{a}b has a character outside A-Z a-z 0-9 - : . / _"#)
        assertPackRefused(#"[{"n":5,"v":1}]"#, "[0].n: expected a string, found a number")
    }

    func testExactlyOneValueOrASum() {
        assertPackRefused(#"[{"n":"x"}]"#, "[0]: no value: a record needs one of v, vs, vb, vd or s")
        assertPackRefused(#"[{}]"#, "[0]: no value: a record needs one of v, vs, vb, vd or s")
        assertPackRefused(#"[{"n":"x","v":1,"vs":"a"}]"#, "[0]: more than one value (v, vs); a record has one of v, vs, vb, vd")
        assertPackRefused(#"[{"n":"x","vb":true,"vd":"AA","v":2}]"#,
                          "[0]: more than one value (v, vb, vd); a record has one of v, vs, vb, vd")
        assertPackRefused(#"[{"n":"x","v":1,"v":2}]"#, "[0].v: duplicate field")
        assertPackRefused(#"[{"n":"x","n":"y","v":2}]"#, "[0].n: duplicate field")
    }

    func testValueKindsOfLabels() {
        assertPackRefused(#"[{"n":"x","v":"1"}]"#, "[0].v: expected a number, found a string")
        assertPackRefused(#"[{"n":"x","v":true}]"#, "[0].v: expected a number, found a boolean")
        assertPackRefused(#"[{"n":"x","v":null}]"#, "[0].v: expected a number, found null")
        assertPackRefused(#"[{"n":"x","t":{}}]"#, "[0].t: expected a number, found an object")
        assertPackRefused(#"[{"n":"x","vs":1}]"#, "[0].vs: expected a string, found a number")
        assertPackRefused(#"[{"n":"x","vb":1}]"#, "[0].vb: expected a boolean, found a number")
        assertPackRefused(#"[{"n":"x","vb":null}]"#, "[0].vb: expected a boolean, found null")
        assertPackRefused(#"[{"n":"x","u":[],"v":1}]"#, "[0].u: expected a string, found an array")
        assertPackRefused(#"[{"bn":1,"n":"x","v":1}]"#, "[0].bn: expected a string, found a number")
        assertPackRefused(#"[{"n":"x","v":1e400}]"#, "[0].v: 1e400 is out of range")
        assertPackRefused(#"[{"n":"x","v":-1e309}]"#, "[0].v: -1e309 is out of range")
        assertPackRefused(#"[{"n":"x","vd":"a+b/"}]"#, "[0].vd: not base64url (RFC 4648 §5)")
        assertPackRefused(#"[{"n":"x","vd":"aGVsbG8=="}]"#, "[0].vd: not base64url (RFC 4648 §5)")
        assertPackRefused(#"[{"n":"x","vd":"a"}]"#, "[0].vd: not base64url (RFC 4648 §5)")
    }

    func testUnknownLabelsAreSkippedHoweverNested() throws {
        let pack = try parsePack("""
            [{"x":{"a":[1,-2.5e3,{"b":"]}\\"{"}],"c":null,"d":[[],[[]],{}]},"n":"power","y":true,"u":"W","z":"\\u00e9","v":1}]
            """)
        XCTAssertEqual(pack.measurements, [Measurement(name: "power", unit: "W", value: 1, time: testNow)])
    }

    func testMustUnderstandLabelsAreRefused() {
        assertPackRefused(#"[{"n":"power","u":"W","v":1,"foo_":1}]"#,
                          "[0].foo_: must-understand field (ends in _) not understood by this server")
        assertPackRefused(#"[{"n":"x","v":1},{"bct_":"x","n":"y","v":1}]"#,
                          "[1].bct_: must-understand field (ends in _) not understood by this server")
    }

    func testEscapedLabelsAreMatchedByTheirValue() throws {
        let pack = try parsePack(#"[{"\u006e":"power","\u0075":"W","\u0076":2}]"#)
        XCTAssertEqual(pack.measurements, [Measurement(name: "power", unit: "W", value: 2, time: testNow)])
    }

    func testEscapedKnownNameAndUnitAreRecognised() throws {
        let pack = try parsePack(#"[{"n":"volt\u0061ge_l1","u":"\u0056","v":230},{"n":"breaker","vs":"cl\u006fsed"}]"#)
        XCTAssertEqual(pack.measurements, [
            Measurement(name: "voltage_l1", unit: "V", value: 230, time: testNow),
            Measurement(name: "breaker", stringValue: "closed", time: testNow),
        ])
    }
}
