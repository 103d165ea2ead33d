@testable import CoAPTransport
import Synchronization
import XCTest

/// The bookkeeping of the probe that tells whether a confirmable notification was acknowledged (pure).
final class NotificationAcknowledgementsTests: XCTestCase {
    private let session = CoAPSessionHandle(number: 7)
    private let decided = LockedValue<[(Int, Bool)]>([])

    private func callback(_ tag: Int) -> NotificationAcknowledgements.Callback {
        { [decided] _, delivered in decided.withLock { $0.append((tag, delivered)) } }
    }

    private var outcomes: [String] { decided.withLock { $0.map { "\($0.0):\($0.1)" } } }

    func testAProbeAnsweredAfterTheNotificationProvesItAcknowledged() {
        var tracker = NotificationAcknowledgements()
        XCTAssertTrue(tracker.sent(100, on: session, callback: callback(1)), "no probe in flight: send one")
        tracker.probeSent(101, on: session)
        XCTAssertTrue(tracker.isProbe(101, on: session))
        XCTAssertTrue(tracker.isProbeInFlight(101))
        let (decisions, again) = tracker.probeEnded(101, on: session, transmitted: true)
        decisions.forEach { $0.call(session) }
        XCTAssertFalse(again)
        XCTAssertEqual(outcomes, ["1:true"])
        XCTAssertEqual(tracker.trackedSessions, 0, "nothing kept once decided")
        XCTAssertFalse(tracker.isProbeInFlight(101))
    }

    func testANotificationResetBeforeTheProbeIsNotDeliveredAndTheProbeDecidesNothingMore() {
        var tracker = NotificationAcknowledgements()
        _ = tracker.sent(100, on: session, callback: callback(1))
        tracker.probeSent(101, on: session)
        tracker.notificationFailed(100, on: session)?.call(session)
        tracker.probeEnded(101, on: session, transmitted: true).decisions.forEach { $0.call(session) }
        XCTAssertEqual(outcomes, ["1:false"])
    }

    func testNotificationsSentWhileAProbeIsInFlightWaitForTheNextProbe() {
        var tracker = NotificationAcknowledgements()
        _ = tracker.sent(100, on: session, callback: callback(1))
        tracker.probeSent(101, on: session)
        XCTAssertFalse(tracker.sent(102, on: session, callback: callback(2)), "one probe at a time")
        let first = tracker.probeEnded(101, on: session, transmitted: true)
        first.decisions.forEach { $0.call(session) }
        XCTAssertTrue(first.probeAgain, "102 is not covered by 101")
        XCTAssertEqual(outcomes, ["1:true"])
        tracker.probeSent(103, on: session)
        tracker.probeEnded(103, on: session, transmitted: true).decisions.forEach { $0.call(session) }
        XCTAssertEqual(outcomes, ["1:true", "2:true"])
    }

    func testAProbeThatNeverLeftOrASessionThatEndedDecidesNotDelivered() {
        var tracker = NotificationAcknowledgements()
        _ = tracker.sent(100, on: session, callback: callback(1))
        tracker.probeSent(101, on: session)
        tracker.probeEnded(101, on: session, transmitted: false).decisions.forEach { $0.call(session) }
        _ = tracker.sent(102, on: session, callback: callback(2))
        tracker.probeNotSent(on: session).forEach { $0.call(session) }
        _ = tracker.sent(104, on: session, callback: callback(3))
        tracker.probeSent(105, on: session)
        tracker.sessionEnded(session).forEach { $0.call(session) }
        XCTAssertEqual(outcomes, ["1:false", "2:false", "3:false"])
        XCTAssertFalse(tracker.isProbeInFlight(105))
        XCTAssertEqual(tracker.trackedSessions, 0)
    }

    func testAnRSTOfAnotherSessionsMessageWithTheSameIDIsNotThisSessionsProbe() {
        var tracker = NotificationAcknowledgements()
        let other = CoAPSessionHandle(number: 8)
        _ = tracker.sent(100, on: session, callback: callback(1))
        tracker.probeSent(101, on: session)
        XCTAssertFalse(tracker.isProbe(101, on: other))
        XCTAssertTrue(tracker.probeEnded(101, on: other, transmitted: true).decisions.isEmpty)
        XCTAssertEqual(outcomes, [])
    }
}
