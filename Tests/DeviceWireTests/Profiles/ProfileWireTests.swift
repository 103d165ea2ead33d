import DeviceWire
import FleetDomain
import XCTest

/// Profiles on the wire: the diff of two canonical documents and a device's report of what it applied.
final class ProfileWireTests: XCTestCase {
    func testDiffListsChangedFieldsInOrder() {
        var old = ThresholdProfile.factoryDefault
        old.version = 3
        var new = old
        new.version = 9
        new.leakage.alarmMA = 250
        new.notes = "quieter"
        new.temperature.warnC = 48.5
        XCTAssertEqual(ProfileDiff(from: old, to: new).changes.map(\.description), [
            "notes: (absent) → \"quieter\"", "leakage.alarm_ma: 300 → 250", "temperature.warn_c: 50 → 48.5",
        ])
        XCTAssertTrue(ProfileDiff(from: old, to: old).changes.isEmpty)
    }

    func testAProfileReportIsParsedStrictly() throws {
        XCTAssertEqual(try DeviceRequestParser.profileReport(Array(#"{"id":"commerce","version":7,"result":"rejected","reason":"arc"}"#.utf8)),
                       ProfileReport(id: "commerce", version: 7, result: .rejected, reason: "arc"))
        assertBadRequest("result: done is not one of applied, rejected") {
            () throws(DeviceAPIError) in try DeviceRequestParser.profileReport(Array(#"{"id":"commerce","version":7,"result":"done"}"#.utf8))
        }
        assertBadRequest("id: Commerce does not match [a-z0-9-]{1,64}") {
            () throws(DeviceAPIError) in try DeviceRequestParser.profileReport(Array(#"{"id":"Commerce","version":7,"result":"applied"}"#.utf8))
        }
    }
}

/// The device's copy of a profile fits one datagram whatever the profile says.
final class ProfileDeviceCopyTests: XCTestCase {
    func testTheLongestValidProfileFitsTheDatagramBudget() throws {
        var longest = ThresholdProfile.factoryDefault
        longest.id = String(repeating: "x", count: 64)
        longest.version = Int(Int32.max)
        longest.siteCategory = .entertainmentCateringWarehouse
        longest.standardBasis = String(repeating: "标", count: 85)
        longest.notes = String(repeating: "n", count: 4096)
        longest.nominalVoltageV = 380
        longest.cableInsulation = .xlpe90
        longest.temperature = .init(warnC: 139.75, alarmC: 139.875, delayS: 30, action: .alarm, override: true)
        longest.overload = .init(warnPct: 198, alarmPct: 199, tripPct: 200, tripDelayS: 3600)
        longest.shortCircuit.instantMultiple = 14.999
        longest.voltage = .init(overWarnV: 299, overTripV: 300, underWarnV: 215, underTripV: 214, delayS: 60, autoRecloseS: 600)
        longest.power.limitW = 25_000
        longest.reporting = .init(telemetryIntervalS: 3600, heartbeatS: 3600)
        XCTAssertEqual(ProfileValidator.validate(longest), [])
        let copy = longest.jsonBytes(forDevice: true)
        XCTAssertLessThan(copy.count, ThresholdProfile.deviceCopyLimit, "\(copy.count) bytes")
        let parsed = try ProfileDecoder.decode(copy)
        XCTAssertNil(parsed.notes)
        XCTAssertNil(parsed.standardBasis)
        XCTAssertEqual(parsed.leakage, longest.leakage, "every threshold is in the device's copy")
        XCTAssertEqual(parsed.voltage, longest.voltage)
    }
}
