import BreakerSimulation
import DeviceWire
import FleetDomain
import XCTest

/// A firmware target walks downloading → downloaded → installing → installed (then the breaker registers
/// again with the new version), or ends failed with an error.
final class FirmwareTests: XCTestCase {
    private let target = FirmwareTarget(version: "1.1.0", size: 500_000, sha256: String(repeating: "a", count: 64), uri: "coaps://fw/1.1.0", campaign: "c1")

    func testTheWalkReachesInstalled() throws {
        var breaker = makeBreaker()
        let body = #"{"version":"1.1.0","size":500000,"sha256":"aa","uri":"coaps://fw/1.1.0","campaign":"c1"}"#
        let started = try breaker.receive(.firmwareBody(Array(body.utf8)), now: start)
        XCTAssertEqual(started.map(\.text), [#"{"version":"1.1.0","state":"downloading"}"#])
        XCTAssertEqual(started.first?.path, "/v1/firmware/state")
        XCTAssertEqual(try breaker.receive(.firmware(target), now: start + 1), [], "the same target again changes nothing")
        var states: [FirmwareState] = []
        var registrations: [RegistrationRequest] = []
        for second in stride(from: start + 1, through: start + 120, by: 1) {
            for message in breaker.tick(now: second) {
                if let report = message.firmwareReport { states.append(report.state) }
                if message.kind == .registration { registrations.append(try DeviceRequestParser.registration(message.body)) }
            }
        }
        XCTAssertEqual(states, [.downloaded, .installing, .installed])
        XCTAssertEqual(breaker.firmwareVersion, "1.1.0")
        XCTAssertEqual(registrations.map(\.firmware), ["1.1.0"])
        let same = try breaker.receive(.firmware(target), now: start + 200)
        XCTAssertEqual(same.compactMap(\.firmwareReport), [FirmwareReport(version: "1.1.0", state: .installed)])
        XCTAssertEqual(try breaker.receive(.firmwareBody(Array(#"{"version":null}"#.utf8)), now: start + 201), [])
    }

    func testAFailingUpdateReportsFailedWithAnError() throws {
        var breaker = makeBreaker(firmwareFailure: 1)
        _ = try breaker.receive(.firmware(target), now: start)
        let reports = breaker.run(until: start + 600, step: 5).compactMap(\.firmwareReport)
        XCTAssertEqual(reports.last?.state, .failed)
        XCTAssertFalse(reports.last?.error?.isEmpty ?? true)
        XCTAssertFalse(reports.contains { $0.state == .installed })
        XCTAssertEqual(breaker.firmwareVersion, "1.0.0")
    }
}
