import Clocks
import DeviceWire
import FleetDomain
import FleetServices
import XCTest

/// The profile service stamps what it stores with the injected wall clock, and waits on the injected
/// timer clock: both are under the test's control.
final class ProfileServiceClockTests: FleetTestCase {
    private var commerce: ThresholdProfile {
        var profile = ThresholdProfile.factoryDefault
        profile.id = "commerce"
        profile.siteCategory = .commerce
        return profile
    }

    func testVersionsAndAssignmentsAreStampedWithTheInjectedClock() async throws {
        let clock = ManualWallClock(t0)
        let service = ProfileService(store: fleet.store, clock: clock) { _ in }
        let pushed = try await service.push(commerce.jsonBytes(), source: "test")
        XCTAssertEqual(pushed.stored.createdAt, t0)
        clock.advance(by: 3600)
        _ = try await service.assign("commerce", to: .category(.commerce), by: "admin")
        let assignment = try await fleet.store.profileAssignments().first { $0.target == .category(.commerce) }
        XCTAssertEqual(assignment?.assignedAt, t0.addingTimeInterval(3600))
    }

    func testABurstOfSchedulesCostsOneRecomputationAfterTheDelay() async throws {
        let published = Recorder<ProfilePublication>()
        let service = ProfileService(store: fleet.store, clock: ManualWallClock(t0)) { published.append($0) }
        let timer = TestClock()
        let recomputation = ProfileRecomputation(profiles: service, timer: timer, logger: quietLogger)
        for _ in 0..<5 { recomputation.schedule() }
        await yieldToOtherTasks()
        await timer.advance(by: ProfileRecomputation.delay - .milliseconds(1))
        await yieldToOtherTasks()
        XCTAssertEqual(published.items.count, 0, "nothing runs before the delay has passed")
        await timer.advance(by: .milliseconds(1))
        try await waitUntil { published.items.count == 1 }
        await yieldToOtherTasks()
        XCTAssertEqual(published.items.count, 1, "five schedules, one run")
    }
}
