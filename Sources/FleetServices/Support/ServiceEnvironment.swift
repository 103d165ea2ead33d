import FleetDomain

/// What the services read from the world besides their stores: the time of day, a clock to wait on, and
/// random bytes. The composition root passes `.system`; tests pass a `ManualWallClock`, a test clock and a
/// `SeededRandomSource`.
public struct ServiceEnvironment: Sendable {
    /// Timestamps and time-dependent rules (expiry, staleness, certification validity).
    public var wallClock: any WallClock
    /// Delays and periodic work.
    public var timer: any Clock<Duration>
    /// Keys and identifiers.
    public var random: any RandomSource

    public init(wallClock: any WallClock, timer: any Clock<Duration>, random: any RandomSource) {
        self.wallClock = wallClock
        self.timer = timer
        self.random = random
    }

    /// The real ones.
    public static var system: ServiceEnvironment {
        ServiceEnvironment(wallClock: SystemWallClock(), timer: ContinuousClock(), random: SystemRandomSource())
    }
}
