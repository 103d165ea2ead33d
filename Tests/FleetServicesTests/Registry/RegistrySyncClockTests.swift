import Clocks
import FleetDomain
import FleetServices
import XCTest

/// A certification ends by itself when its validity runs out: the registry sync judges it on the injected
/// clock, so the lapse is tested at a chosen instant instead of a day later.
final class RegistrySyncClockTests: FleetTestCase {
    func testACertificationLapsesWhenTheInjectedClockPassesItsEnd() async throws {
        let clock = ManualWallClock(t0.addingTimeInterval(3600))
        let certified = Recorder<Set<String>>()
        let service = ProfileService(store: fleet.store, clock: clock) { _ in }
        let sync = RegistrySync(
            store: fleet.store,
            listener: .init(certifiedModelsChanged: { certified.append($0) }, bansChanged: { _, _ in }),
            // A timer that never fires: the recomputation a lapse schedules is not what this test is about.
            profiles: ProfileRecomputation(profiles: service, timer: TestClock(), logger: quietLogger),
            clock: clock, logger: quietLogger)
        await sync.push()
        XCTAssertEqual(certified.items, [["BF-100"]])
        clock.set(t0.addingTimeInterval(86_399))
        await sync.push()
        XCTAssertEqual(certified.items, [["BF-100"]], "still certified a second before the end: nothing to tell")
        clock.advance(by: 1)
        await sync.push()
        XCTAssertEqual(certified.items, [["BF-100"], []], "lapsed at the end of its validity")
    }
}
