import Foundation
import Synchronization

/// The time of day, handed to whatever needs it instead of read with `Date()`, so every time-dependent
/// rule (presence, expiry, staleness, overlap windows) can be evaluated at a chosen instant in a test.
///
/// Rules in this module take the time as a `now: Date` argument; services and the composition root hold
/// a `WallClock` and read it once per operation. Waiting and scheduling use Swift's `Clock` instead.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system's real-time clock: the one a running server uses.
public struct SystemWallClock: WallClock {
    public init() {}

    public func now() -> Date { Date() }
}

/// A clock that stands still until it is set or advanced: for tests, and for replaying a scenario.
public final class ManualWallClock: WallClock {
    private let current: Mutex<Date>

    public init(_ start: Date) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 += seconds }
    }
}
