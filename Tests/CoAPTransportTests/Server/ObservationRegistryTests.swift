@testable import CoAPTransport
import XCTest

/// The bookkeeping behind targeted notifications: who observes what, one queued notification per
/// observation however many changes, and nothing sent to an observation that ended meanwhile.
final class ObservationRegistryTests: XCTestCase {
    private let first = CoAPSessionHandle(number: 1)
    private let second = CoAPSessionHandle(number: 2)
    private let route = Route(path: "v1/profile", observable: true) { _ in CoAPResponse(.content) }

    private func peer(_ name: String) -> PeerIdentity { PeerIdentity(commonName: name, anchorCommonName: "CA") }

    private func key(_ session: CoAPSessionHandle, _ path: String = "v1/profile") -> ObservationRegistry.Key {
        ObservationRegistry.Key(session: session, path: path)
    }

    func testNotificationsGoOnlyToThePeerAndAreQueuedOnce() {
        var registry = ObservationRegistry()
        let start = registry.register(key(first), token: [1], route: route, peer: peer("BRK-0001"))
        _ = registry.register(key(second), token: [2], route: route, peer: peer("BRK-0002"))
        XCTAssertEqual(registry.enqueue(path: "v1/profile", peer: "BRK-0001"), 1)
        XCTAssertEqual(registry.enqueue(path: "v1/profile", peer: "BRK-0001"), 0, "a queued notification is not queued twice")
        XCTAssertEqual(registry.enqueue(path: "v1/commands", peer: "BRK-0001"), 0, "another resource is not observed")
        XCTAssertEqual(registry.enqueue(path: "v1/profile", peer: "BRK-9999"), 0)
        let (sent, observation) = try! XCTUnwrap(registry.dequeue())
        XCTAssertEqual(sent, key(first))
        XCTAssertEqual(observation.token, [1])
        XCTAssertNil(registry.dequeue())
        XCTAssertGreaterThan(registry.nextSequence(), start, "the Observe sequence only grows")
    }

    func testAnEndedObservationIsSkippedAndItsSessionForgotten() {
        var registry = ObservationRegistry()
        _ = registry.register(key(first), token: [1], route: route, peer: peer("BRK-0001"))
        _ = registry.register(key(second), token: [2], route: route, peer: peer("BRK-0001"))
        XCTAssertEqual(registry.enqueue(path: "v1/profile", peer: "BRK-0001"), 2, "every session of the device")
        registry.remove(session: first, token: [1])
        XCTAssertEqual(registry.dequeue()?.0, key(second), "the RST'd observation is skipped")
        XCTAssertNil(registry.dequeue())
        registry.removeAll(of: second)
        XCTAssertEqual(registry.count, 0)
        XCTAssertEqual(registry.enqueue(path: "v1/profile", peer: "BRK-0001"), 0)
    }

    func testRenewingAnObservationKeepsOneWithTheNewToken() {
        var registry = ObservationRegistry()
        _ = registry.register(key(first), token: [1], route: route, peer: peer("BRK-0001"))
        _ = registry.register(key(first), token: [7], route: route, peer: peer("BRK-0001"))
        XCTAssertEqual(registry.count, 1)
        registry.remove(session: first, token: [1])
        XCTAssertEqual(registry.count, 1, "the old token no longer names it")
        XCTAssertEqual(registry.observations[key(first)]?.token, [7])
    }
}
