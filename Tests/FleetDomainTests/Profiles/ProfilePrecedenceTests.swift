import FleetDomain
import Foundation
import XCTest

/// spec/profiles.md "Precedence": device, then site, then the site's category, then `default`; a profile
/// the model cannot carry out is skipped (and named) rather than pushed.
final class ProfilePrecedenceTests: XCTestCase {
    private func profile(_ id: String, version: Int, _ change: (inout ThresholdProfile) -> Void = { _ in }) -> ThresholdProfile {
        var profile = ThresholdProfile.factoryDefault
        profile.id = id
        profile.version = version
        change(&profile)
        return profile
    }

    private let device = ProfileDeviceFacts(
        serial: Serial("BRK-0001")!, model: "BF-100", state: .active, siteID: "yanhu-market", category: .commerce,
        county: "140802", capabilities: ["leakage", "temperature"], registeredAt: Date(timeIntervalSince1970: testNow))

    private func catalog(_ assignments: [(ProfileTarget, String)], extra: [ThresholdProfile] = []) -> ProfileCatalog {
        let profiles = [profile("default", version: 1), profile("commerce", version: 2), profile("market", version: 3),
                        profile("night", version: 4)] + extra
        return ProfileCatalog(latest: profiles, assignments: assignments.map {
            ProfileAssignment(target: $0.0, profileID: $0.1, assignedAt: Date(timeIntervalSince1970: testNow), assignedBy: "test")
        })
    }

    func testTheMostSpecificAssignmentWins() {
        let all = catalog([(.category(.commerce), "commerce"), (.site("yanhu-market"), "market"), (.device(device.serial), "night")])
        XCTAssertEqual(all.resolve(device).desired, DesiredProfile(profileID: "night", version: 4, via: .device, heartbeatSeconds: 120))
        let siteAndCategory = catalog([(.category(.commerce), "commerce"), (.site("yanhu-market"), "market")])
        XCTAssertEqual(siteAndCategory.resolve(device).desired?.profileID, "market")
        XCTAssertEqual(siteAndCategory.resolve(device).desired?.via, .site)
        let categoryOnly = catalog([(.category(.commerce), "commerce"), (.site("elsewhere"), "market")])
        XCTAssertEqual(categoryOnly.resolve(device).desired?.profileID, "commerce")
        XCTAssertEqual(catalog([(.category(.evCharging), "commerce")]).resolve(device).desired,
                       DesiredProfile(profileID: "default", version: 1, via: nil, heartbeatSeconds: 120))
    }

    func testADeviceWithoutASiteGetsItsOwnAssignmentOrTheDefault() {
        var unassigned = device
        unassigned.siteID = nil
        unassigned.category = nil
        XCTAssertEqual(catalog([(.category(.commerce), "commerce")]).resolve(unassigned).desired?.profileID, "default")
        XCTAssertEqual(catalog([(.device(device.serial), "night")]).resolve(unassigned).desired?.profileID, "night")
    }

    func testAnAssignmentOfAMissingProfileIsSkipped() {
        XCTAssertEqual(catalog([(.device(device.serial), "gone")]).resolve(device).desired?.profileID, "default")
    }

    func testAProfileTheModelCannotCarryOutIsRefusedAndTheNextOneApplies() {
        let arcTrip = profile("arc-trip", version: 9) { $0.arc.action = .trip }
        let resolution = catalog([(.device(device.serial), "arc-trip"), (.category(.commerce), "commerce")], extra: [arcTrip])
            .resolve(device)
        XCTAssertEqual(resolution.desired?.profileID, "commerce")
        XCTAssertEqual(resolution.refusals.map(\.profileID), ["arc-trip"])
        XCTAssertEqual(resolution.refusals.first?.version, 9)
        XCTAssertEqual(resolution.refusals.first?.reasons.first?.hasPrefix("arc.action: trip needs capability arc_extinguish"), true)
        var extinguisher = device
        extinguisher.capabilities.insert("arc_extinguish")
        XCTAssertEqual(catalog([(.device(device.serial), "arc-trip")], extra: [arcTrip]).resolve(extinguisher).desired?.profileID, "arc-trip")
    }

    func testNothingFitsAModelWithoutALeakageSensor() {
        var detector = device
        detector.capabilities = ["temperature"]
        let resolution = catalog([]).resolve(detector)
        XCTAssertNil(resolution.desired)
        XCTAssertEqual(resolution.refusals.map(\.profileID), ["default"])
    }

    func testTargetsRoundTripAndRefuseBadKeys() throws {
        XCTAssertEqual(ProfileTarget(kind: .category, key: "ev-charging"), .category(.evCharging))
        XCTAssertNil(ProfileTarget(kind: .category, key: "default"), "default is not a category a site can have")
        XCTAssertNil(ProfileTarget(kind: .device, key: "brk-1"))
        XCTAssertNil(ProfileTarget(kind: .site, key: "Yanhu Market"))
        let json = try JSONEncoder().encode(ProfileTarget.site("yanhu-market"))
        let object = try JSONSerialization.jsonObject(with: json) as? [String: String]
        XCTAssertEqual(object, ["kind": "site", "key": "yanhu-market"])
        XCTAssertEqual(try JSONDecoder().decode(ProfileTarget.self, from: json), .site("yanhu-market"))
    }
}
