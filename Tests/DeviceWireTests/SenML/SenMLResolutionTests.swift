import DeviceWire
import FleetDomain
import XCTest

/// Valid packs: names, times, base fields and values resolved per RFC 8428 §4.6.
final class SenMLResolutionTests: XCTestCase {
    func testBaseNameAndBaseTimeResolveNamesAndTimes() throws {
        let pack = try parsePack("""
            [{"bn":"urn:dev:sn:BRK-0001:","bt":1764383990,"n":"voltage_l1","u":"V","v":229.5},
             {"n":"current_l1","u":"A","v":3.25,"t":5},
             {"n":"breaker","vs":"closed"}]
            """)
        XCTAssertEqual(pack.measurements, [
            Measurement(name: "voltage_l1", unit: "V", value: 229.5, time: 1_764_383_990),
            Measurement(name: "current_l1", unit: "A", value: 3.25, time: 1_764_383_995),
            Measurement(name: "breaker", stringValue: "closed", time: 1_764_383_990),
        ])
    }

    func testTimesBelow2To28AreRelativeToNow() throws {
        let pack = try parsePack("""
            [{"n":"power","u":"W","v":1200,"t":-30},
             {"n":"energy","u":"Wh","s":5000},
             {"bt":-60,"n":"temp_l1","u":"Cel","v":40,"t":10},
             {"bt":0,"n":"temp_l2","u":"Cel","v":41,"t":268435455},
             {"n":"temp_l3","u":"Cel","v":42,"t":268435456}]
            """)
        XCTAssertEqual(pack.measurements.map(\.time), [
            testNow - 30, testNow, testNow - 50, testNow + 268_435_455, 268_435_456,
        ])
    }

    func testBaseFieldsCarryForwardUntilReplaced() throws {
        let pack = try parsePack("""
            [{"bn":"urn:dev:sn:BRK-0001:","bt":1764380000,"bu":"V","bv":230,"n":"voltage_l1","v":-0.5},
             {"n":"voltage_l2","v":1.5,"t":1},
             {"n":"current_l1","u":"A","v":2},
             {"bv":0,"bu":"A","n":"current_l2","v":4},
             {"n":"leakage","v":0.01},
             {"bt":1764381000,"bs":1000,"n":"energy","u":"Wh","s":5},
             {"n":"energy","u":"Wh","s":7,"t":2}]
            """)
        XCTAssertEqual(pack.measurements, [
            Measurement(name: "voltage_l1", unit: "V", value: 229.5, time: 1_764_380_000),
            Measurement(name: "voltage_l2", unit: "V", value: 231.5, time: 1_764_380_001),
            Measurement(name: "current_l1", unit: "A", value: 232, time: 1_764_380_000),
            Measurement(name: "current_l2", unit: "A", value: 4, time: 1_764_380_000),
            Measurement(name: "leakage", unit: "A", value: 0.01, time: 1_764_380_000),
            Measurement(name: "energy", unit: "Wh", sum: 1005, time: 1_764_381_000),
            Measurement(name: "energy", unit: "Wh", sum: 1007, time: 1_764_381_002),
        ])
    }

    func testBaseFieldsApplyToTheirOwnRecordWhateverTheMemberOrder() throws {
        let pack = try parsePack(#"[{"v":1,"n":"current_n","bu":"A","bv":10,"bn":"urn:dev:sn:BRK-0001:"}]"#)
        XCTAssertEqual(pack.measurements, [Measurement(name: "current_n", unit: "A", value: 11, time: testNow)])
    }

    func testOwnPrefixWithoutBaseNameIsStripped() throws {
        let pack = try parsePack(#"[{"n":"urn:dev:sn:BRK-0001:power","u":"W","v":5}]"#)
        XCTAssertEqual(pack.measurements.first?.name, "power")
    }

    func testUnknownNamesAreKeptWithAnyKindOfValue() throws {
        let pack = try parsePack("""
            [{"bn":"urn:dev:sn:BRK-0001:","n":"humidity","u":"%RH","v":45},
             {"n":"door/open","vb":true},
             {"n":"fw.note","vs":"ok"},
             {"n":"blob","vd":"aGVsbG8"},
             {"n":"blob-padded","vd":"aGVsbG8="},
             {"n":"Meter:2","s":12.5}]
            """)
        XCTAssertEqual(pack.measurements, [
            Measurement(name: "humidity", unit: "%RH", value: 45, time: testNow),
            Measurement(name: "door/open", boolValue: true, time: testNow),
            Measurement(name: "fw.note", stringValue: "ok", time: testNow),
            Measurement(name: "blob", stringValue: "aGVsbG8", time: testNow),
            Measurement(name: "blob-padded", stringValue: "aGVsbG8=", time: testNow),
            Measurement(name: "Meter:2", sum: 12.5, time: testNow),
        ])
    }

    func testEveryKnownNameWithItsUnit() throws {
        let units = [
            "voltage_l1": "V", "voltage_l2": "V", "voltage_l3": "V", "current_l1": "A", "current_l2": "A",
            "current_l3": "A", "current_n": "A", "leakage": "A", "temp_l1": "Cel", "temp_l2": "Cel",
            "temp_l3": "Cel", "temp_n": "Cel", "temp_cabinet": "Cel", "power": "W", "energy": "Wh",
        ]
        for (name, unit) in units.sorted(by: { $0.key < $1.key }) {
            let pack = try parsePack(#"[{"n":"\#(name)","u":"\#(unit)","v":1}]"#)
            XCTAssertEqual(pack.measurements, [Measurement(name: name, unit: unit, value: 1, time: testNow)])
            assertPackRefused(#"[{"n":"\#(name)","u":"x","v":1}]"#, "[0].u: unit x is not \(unit) for \(name)")
            assertPackRefused(#"[{"n":"\#(name)","v":1}]"#, "[0].u: unit missing, expected \(unit) for \(name)")
        }
    }

    func testArcCountIsAWholeNumberWithUnitCountOrNone() throws {
        let pack = try parsePack(#"[{"n":"arc_count","v":3},{"n":"arc_count","u":"count","v":0}]"#)
        XCTAssertEqual(pack.measurements, [
            Measurement(name: "arc_count", value: 3, time: testNow),
            Measurement(name: "arc_count", unit: "count", value: 0, time: testNow),
        ])
        assertPackRefused(#"[{"n":"arc_count","u":"A","v":3}]"#, "[0].u: unit A is not count for arc_count")
        assertPackRefused(#"[{"bu":"V","n":"arc_count","v":3}]"#, "[0].u: unit V (from bu) is not count for arc_count")
        assertPackRefused(#"[{"n":"arc_count","v":2.5}]"#, "[0].v: 2.5 is not a count (a whole number from 0) for arc_count")
        assertPackRefused(#"[{"n":"arc_count","v":-1}]"#, "[0].v: -1 is not a count (a whole number from 0) for arc_count")
    }

    func testBreakerAndTripCause() throws {
        let pack = try parsePack(#"[{"n":"breaker","vs":"open"},{"n":"trip_cause","vs":"short_circuit"}]"#)
        XCTAssertEqual(pack.measurements, [
            Measurement(name: "breaker", stringValue: "open", time: testNow),
            Measurement(name: "trip_cause", stringValue: "short_circuit", time: testNow),
        ])
        assertPackRefused(#"[{"n":"breaker","vs":"ajar"}]"#, "[0].vs: ajar is not open or closed")
        assertPackRefused(#"[{"n":"breaker","vs":"Open"}]"#, "[0].vs: Open is not open or closed")
        assertPackRefused(#"[{"n":"breaker","v":1}]"#, "[0].v: breaker takes a string (vs): open or closed")
        assertPackRefused(#"[{"n":"breaker","vb":true}]"#, "[0].vb: breaker takes a string (vs): open or closed")
        assertPackRefused(#"[{"n":"breaker","vs":"open","s":1}]"#, "[0].s: breaker takes a string (vs): open or closed")
        assertPackRefused(#"[{"n":"trip_cause","v":1}]"#, "[0].v: trip_cause takes a string (vs)")
        assertPackRefused(#"[{"n":"trip_cause","vs":""}]"#, "[0].vs: empty")
        let cause = String(repeating: "c", count: 64)
        XCTAssertEqual(try parsePack(#"[{"n":"trip_cause","vs":"\#(cause)"}]"#).measurements.first?.stringValue, cause)
        assertPackRefused(#"[{"n":"trip_cause","vs":"\#(cause)c"}]"#, "[0].vs: 65 bytes is above 64")
    }

    func testKnownNumericNamesRefuseOtherKindsOfValue() {
        assertPackRefused(#"[{"n":"voltage_l1","u":"V","vs":"230"}]"#, "[0].vs: voltage_l1 takes a number (v or s)")
        assertPackRefused(#"[{"n":"power","u":"W","vb":false}]"#, "[0].vb: power takes a number (v or s)")
        assertPackRefused(#"[{"n":"energy","u":"Wh","vd":"AAAA"}]"#, "[0].vd: energy takes a number (v or s)")
    }

    func testWrongUnitNamesRecordIndexAndField() {
        assertPackRefused("""
            [{"n":"voltage_l1","u":"V","v":230},{"n":"current_l1","u":"A","v":1},{"n":"voltage_l1","u":"mV","v":230000}]
            """, "[2].u: unit mV is not V for voltage_l1")
        assertPackRefused(#"[{"bu":"A","n":"current_l1","v":1},{"n":"voltage_l1","v":230}]"#,
                          "[1].u: unit A (from bu) is not V for voltage_l1")
        assertPackRefused(#"[{"n":"current_l1","u":"A","v":1},{"n":"voltage_l1","v":230}]"#,
                          "[1].u: unit missing, expected V for voltage_l1")
        assertPackRefused(#"[{"n":"voltage_l1","u":"","v":230}]"#, "[0].u: empty (omit it instead)")
        assertPackRefused(#"[{"bu":"","n":"voltage_l1","v":230}]"#, "[0].bu: empty (omit it instead)")
    }

    func testBaseNameOfAnotherDeviceIsRefused() {
        let own = "(urn:dev:sn:BRK-0001:)"
        assertPackRefused(#"[{"bn":"urn:dev:sn:BRK-9999:","n":"voltage_l1","u":"V","v":230}]"#,
                          "[0].bn: urn:dev:sn:BRK-9999: does not name this device \(own)")
        assertPackRefused(#"[{"bn":"urn:dev:sn:BRK-0001","n":":power","u":"W","v":1}]"#,
                          "[0].bn: urn:dev:sn:BRK-0001 does not name this device \(own)")
        assertPackRefused(#"[{"bn":"urn:dev:sn:BRK-00012:","n":"power","u":"W","v":1}]"#,
                          "[0].bn: urn:dev:sn:BRK-00012: does not name this device \(own)")
        assertPackRefused(#"[{"bn":"","n":"power","u":"W","v":1}]"#, #"[0].bn: "" does not name this device "# + own)
        assertPackRefused("""
            [{"bn":"urn:dev:sn:BRK-0001:","n":"power","u":"W","v":1},{"bn":"urn:dev:sn:BRK-0002:","n":"power","u":"W","v":1}]
            """, "[1].bn: urn:dev:sn:BRK-0002: does not name this device \(own)")
        assertPackRefused(#"[{"n":"urn:dev:sn:BRK-9999:voltage_l1","u":"V","v":230}]"#,
                          "[0].n: urn:dev:sn:BRK-9999:voltage_l1 does not name this device")
        assertPackRefused(#"[{"n":"URN:dev:ow:10e2073a0108006","v":1}]"#,
                          "[0].n: URN:dev:ow:10e2073a0108006 does not name this device")
    }

    func testOneSerialCannotSpeakForAnother() throws {
        let other = Serial("BRK-0002")!
        let json = #"[{"bn":"urn:dev:sn:BRK-0002:","n":"power","u":"W","v":1}]"#
        XCTAssertEqual(try parsePack(json, serial: other).measurements.first?.name, "power")
        assertPackRefused(json, "[0].bn: urn:dev:sn:BRK-0002: does not name this device (urn:dev:sn:BRK-0001:)")
    }

    func testBaseVersion() throws {
        XCTAssertEqual(try parsePack(#"[{"bver":10,"n":"x","v":1},{"bver":10,"n":"y","v":2}]"#).measurements.count, 2)
        XCTAssertEqual(try parsePack(#"[{"bver":5,"n":"x","v":1}]"#).measurements.count, 1)
        assertPackRefused(#"[{"bver":11,"n":"x","v":1}]"#,
                          "[0].bver: 11 is above 10, the highest SenML version understood")
        assertPackRefused(#"[{"bver":0,"n":"x","v":1}]"#, "[0].bver: 0 is not a version (a whole number from 1)")
        assertPackRefused(#"[{"bver":9.5,"n":"x","v":1}]"#, "[0].bver: 9.5 is not a version (a whole number from 1)")
        assertPackRefused(#"[{"bver":10,"n":"x","v":1},{"bver":9,"n":"y","v":2}]"#,
                          "[1].bver: 9 differs from 10 earlier in the pack")
    }

    func testUpdateTimeIsCheckedNotKept() throws {
        XCTAssertEqual(try parsePack(#"[{"n":"x","v":1,"ut":60}]"#).measurements,
                       [Measurement(name: "x", value: 1, time: testNow)])
        assertPackRefused(#"[{"n":"x","v":1,"ut":-1}]"#, "[0].ut: -1 is below 0")
    }
}
