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
}
