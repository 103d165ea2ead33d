import BreakerSimulation
import DeviceWire
import FleetDomain
import XCTest

/// A pushed profile is applied when its ranges hold and the model can carry it out, and otherwise reported
/// rejected with every reason, leaving the profile in force unchanged.
final class ProfileApplicationTests: XCTestCase {
    private func profile(_ change: (inout ThresholdProfile) -> Void) -> ThresholdProfile {
        var profile = ThresholdProfile.factoryDefault
        profile.id = "shops"
        profile.version = 5
        profile.siteCategory = .commerce
        change(&profile)
        return profile
    }

    func testAValidProfileIsApplied() throws {
        var breaker = makeBreaker()
        let pushed = profile { $0.reporting.telemetryIntervalS = 60 }
        let sent = try breaker.receive(.profileBody(pushed.jsonBytes()), now: start)
        XCTAssertEqual(sent.map(\.path), ["/v1/profile/applied"])
        XCTAssertEqual(sent.first?.method, .put)
        XCTAssertEqual(sent.first?.text, #"{"id":"shops","version":5,"result":"applied"}"#)
        XCTAssertEqual(breaker.profile, pushed)
        let packs = breaker.run(until: start + 3600).filter { $0.kind == .telemetry }
        XCTAssertEqual(packs.count, 60, "reports on the new interval")
        XCTAssertEqual(try DeviceRequestParser.registration(breaker.registration().body).profile, .init(id: "shops", version: 5))
    }

    func testAProfileOutOfRangeIsRejected() throws {
        var breaker = makeBreaker()
        let pushed = profile {
            $0.leakage.alarmMA = 2000
            $0.reporting.heartbeatS = 10
        }
        let sent = try breaker.receive(.profile(pushed), now: start)
        XCTAssertEqual(sent.compactMap(\.profileReport), [ProfileReport(
            id: "shops", version: 5, result: .rejected,
            reason: "leakage.alarm_ma: 2000 is above 1000; reporting.heartbeat_s: 10 is below 30")])
        XCTAssertEqual(breaker.profile, .factoryDefault)
    }

    func testArcTripOnAModelWithoutArcExtinguishingIsRejected() throws {
        var breaker = makeBreaker(capabilities: ["arc_detect", "leakage", "temperature", "remote_trip", "remote_reset"])
        let sent = try breaker.receive(.profile(profile { $0.arc.action = .trip }), now: start)
        let report = try XCTUnwrap(sent.first?.profileReport)
        XCTAssertEqual(report.result, .rejected)
        XCTAssertEqual(report.reason, "arc.action: trip needs capability arc_extinguish, which this model lacks (it can detect arcs but not open on them)")
        XCTAssertEqual(breaker.profile.arc.action, .alarm)
    }

    func testAnUnreadableProfileIsRejectedUnderItsIDOrRefused() throws {
        var breaker = makeBreaker()
        let typo = #"{"id":"shops","version":6,"site_category":"commerce","leakage":{"alarm_mA":300}}"#
        let sent = try breaker.receive(.profileBody(Array(typo.utf8)), now: start)
        XCTAssertEqual(sent.first?.profileReport?.result, .rejected)
        XCTAssertEqual(sent.first?.profileReport?.version, 6)
        XCTAssertTrue(sent.first?.profileReport?.reason?.hasPrefix("leakage.alarm_mA: unknown field") ?? false)
        XCTAssertThrowsError(try breaker.receive(.profileBody(Array("{}".utf8)), now: start))
    }
}
