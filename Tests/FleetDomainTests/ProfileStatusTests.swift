import FleetDomain
import Foundation
import XCTest

/// Applied state and drift: what a device confirmed, rejected, or left unconfirmed for too long.
final class ProfileStatusTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: testNow)
    private let desired = DesiredProfile(profileID: "commerce", version: 7, via: .category, heartbeatSeconds: 60)

    private func state(_ serial: String = "BRK-0001", report: ProfileReport? = nil, running: RegistrationRequest.ProfileRef? = nil,
                       since: Double = -10, refusals: [ProfileRefusal] = [], desired: DesiredProfile?? = nil) -> DeviceProfileState {
        DeviceProfileState(
            serial: Serial(serial)!, resolution: ProfileResolution(desired: desired ?? self.desired, refusals: refusals),
            desiredSince: now.addingTimeInterval(since), report: report, running: running)
    }

    func testProgressFollowsTheDevicesReports() {
        XCTAssertEqual(state().progress(at: now, staleAfterHeartbeats: 3), .pending)
        XCTAssertEqual(state(since: -181).progress(at: now, staleAfterHeartbeats: 3), .stale, "3 × 60 s without a confirmation")
        XCTAssertEqual(state(since: -179).progress(at: now, staleAfterHeartbeats: 3), .pending)
        XCTAssertEqual(state(report: .init(id: "commerce", version: 7, result: .applied)).progress(at: now, staleAfterHeartbeats: 3), .applied)
        XCTAssertEqual(state(report: .init(id: "commerce", version: 7, result: .rejected, reason: "x")).progress(at: now, staleAfterHeartbeats: 3), .rejected)
        XCTAssertEqual(state(report: .init(id: "commerce", version: 6, result: .applied), since: -500).progress(at: now, staleAfterHeartbeats: 3), .stale,
                       "a report of an older version confirms nothing")
        XCTAssertEqual(state(running: .init(id: "commerce", version: 7)).progress(at: now, staleAfterHeartbeats: 3), .applied,
                       "registering with the desired profile confirms it")
        XCTAssertEqual(state(desired: .some(nil)).progress(at: now, staleAfterHeartbeats: 3), .refused)
    }

    func testTheReportGroupsAndListsWhatNeedsAttention() {
        let site = { (serial: String, site: String?, category: SiteCategory?) in
            ProfileDeviceFacts(serial: Serial(serial)!, model: "BF-100", state: .active, siteID: site, category: category,
                               county: site == nil ? nil : "140802", capabilities: ["leakage"], registeredAt: self.now)
        }
        let facts = [
            site("BRK-0001", "market", .commerce), site("BRK-0002", "market", .commerce), site("BRK-0003", nil, nil),
            ProfileDeviceFacts(serial: Serial("BRK-0004")!, model: "BF-100", state: .provisioned, capabilities: []),
        ]
        let states = [
            state("BRK-0001", report: .init(id: "commerce", version: 7, result: .applied)),
            state("BRK-0002", report: .init(id: "commerce", version: 7, result: .rejected, reason: "power.limit_w: too high")),
            state("BRK-0003", since: -1000),
            state("BRK-0004"),
        ]
        let report = ProfileStatusReport(states: states, facts: Dictionary(uniqueKeysWithValues: facts.map { ($0.serial, $0) }),
                                         grouping: .site, staleAfterHeartbeats: 3, now: now)
        XCTAssertEqual(report.rows.map(\.group), ["-", "market"], "a device that never registered is left out")
        XCTAssertEqual(report.rows[1].devices, 2)
        XCTAssertEqual(report.rows[1].counts["applied"], 1)
        XCTAssertEqual(report.rows[1].counts["rejected"], 1)
        XCTAssertEqual(report.rows[0].counts["stale"], 1)
        XCTAssertEqual(report.attention.map(\.serial), ["BRK-0002", "BRK-0003"])
        XCTAssertEqual(report.attention[0].reason, "power.limit_w: too high")
        let byProfile = ProfileStatusReport(states: states, facts: Dictionary(uniqueKeysWithValues: facts.map { ($0.serial, $0) }),
                                            grouping: .profile, profileID: "other", staleAfterHeartbeats: 3, now: now)
        XCTAssertTrue(byProfile.rows.isEmpty)
    }

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
