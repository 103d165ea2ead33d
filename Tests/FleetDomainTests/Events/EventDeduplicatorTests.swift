import FleetDomain
import XCTest

final class EventDeduplicatorTests: XCTestCase {
    func testRepeatIsDetected() {
        var deduplicator = EventDeduplicator()
        XCTAssertTrue(deduplicator.admit("e-1", from: testSerial))
        XCTAssertFalse(deduplicator.admit("e-1", from: testSerial))
        XCTAssertTrue(deduplicator.contains("e-1", from: testSerial))
        XCTAssertTrue(deduplicator.admit("e-2", from: testSerial))
    }

    func testIdsArePerDevice() {
        var deduplicator = EventDeduplicator()
        let other = Serial("BRK-0002")!
        XCTAssertTrue(deduplicator.admit("e-1", from: testSerial))
        XCTAssertFalse(deduplicator.contains("e-1", from: other))
        XCTAssertTrue(deduplicator.admit("e-1", from: other))
    }

    func testOldestIdLeavesTheWindow() {
        var deduplicator = EventDeduplicator(windowPerDevice: 3)
        for id in ["a", "b", "c"] { XCTAssertTrue(deduplicator.admit(id, from: testSerial)) }
        XCTAssertFalse(deduplicator.admit("a", from: testSerial), "still in the window")
        XCTAssertTrue(deduplicator.admit("d", from: testSerial))  // evicts a
        XCTAssertFalse(deduplicator.contains("a", from: testSerial))
        XCTAssertTrue(deduplicator.contains("b", from: testSerial))
        XCTAssertTrue(deduplicator.admit("e", from: testSerial))  // evicts b
        XCTAssertFalse(deduplicator.contains("b", from: testSerial))
        XCTAssertTrue(deduplicator.admit("a", from: testSerial), "a left the window: admitted again")  // evicts c
        XCTAssertEqual(["a", "b", "c", "d", "e"].map { deduplicator.contains($0, from: testSerial) },
                       [true, false, false, true, true])
    }
}
