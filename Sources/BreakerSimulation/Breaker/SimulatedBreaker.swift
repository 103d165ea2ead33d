import FleetDomain

/// One simulated smart breaker: its electrical world, its protection, and its side of the device API.
///
/// A pure state machine: time is passed in, randomness comes from the configuration's seed, and every
/// message it wants sent comes back as an `Outgoing` with the exact bytes of spec/device-api.md. The
/// network side registers with `registration()`, calls `tick(now:)` regularly (every few seconds to a
/// minute; faults between ticks are still seen and timed correctly), hands everything it receives to
/// `receive(_:now:)`, and sends what both return, in order.
public struct SimulatedBreaker: Sendable {
    public let configuration: BreakerConfiguration
    public var serial: Serial { configuration.serial }

    public internal(set) var position: BreakerPosition = .closed
    /// Why the breaker last opened (`short_circuit`, `overload`, `leakage`, `over_temperature`, `arc_fault`,
    /// `over_voltage`, `under_voltage`, `power_limit`, `remote`); nil while closed.
    public internal(set) var tripCause: String?
    /// After a short circuit: no reset, remote or automatic, until `manualReset(now:)`.
    public internal(set) var isLatched = false
    /// The profile in force: `ThresholdProfile.factoryDefault` until the server pushes an acceptable one.
    public internal(set) var profile: ThresholdProfile = .factoryDefault
    public internal(set) var firmwareVersion: String
    /// The update in progress or last finished, if any.
    public internal(set) var firmwareReport: FirmwareReport?
    /// The latest reading (taken at the last tick).
    public internal(set) var lastReading: ElectricalReading?
    /// When the next telemetry pack is due (Unix seconds).
    public internal(set) var nextTelemetryAt: Double
    public internal(set) var statistics = SimulationStatistics()

    var generator: SeededGenerator
    var electrical: ElectricalModel
    var now: Double
    var faults: [ActiveFault] = []
    var eventSequence = 0
    var arcCountSinceReport = 0.0
    var temperatureAlarm = ConditionLatch()
    var powerLimit = ConditionLatch()
    var recloseAt: Double?
    var commandResults = CommandLedger()
    /// `renew` commands whose EST renewal the network side is doing.
    var renewalsUnderWay: Set<String> = []
    var firmwareUpdate: FirmwareUpdate?

    /// A breaker that comes up closed at `now`, running the factory default profile. Its first telemetry
    /// is due at a seeded point within one interval, so a fleet started at once does not report in step.
    public init(configuration: BreakerConfiguration, now: Double) {
        self.configuration = configuration
        self.firmwareVersion = configuration.firmware
        self.now = now
        var generator = SeededGenerator(seed: configuration.seed)
        self.electrical = ElectricalModel(configuration: configuration, seed: generator.next(), now: now)
        self.nextTelemetryAt = now + generator.unit() * Double(ThresholdProfile.factoryDefault.reporting.telemetryIntervalS)
        self.generator = generator
    }

    /// `POST /v1/register` with this breaker's model, firmware, profile and capabilities.
    public func registration() -> Outgoing {
        DeviceMessages.registration(
            configuration: configuration, firmware: firmwareVersion, profile: profile)
    }

    /// Advances the simulation to `now`: injects faults due since the last tick, lets protection act on
    /// them, moves firmware updates on, and returns the events, reports and telemetry due, oldest first.
    /// A `now` before the last tick changes nothing.
    public mutating func tick(now: Double) -> [Outgoing] {
        guard now >= self.now else { return [] }
        let previous = self.now
        var out: [Outgoing] = []
        out += advanceFirmware(to: now)
        injectFaults(from: previous, to: now)
        out += protect(until: now)
        out += reclose(at: now)
        self.now = now
        let reading = electrical.advance(to: now, closed: position == .closed, effects: faultEffects(at: now))
        lastReading = reading
        out += protectSampled(reading)
        faults.removeAll { $0.isFinished(at: now) }
        if now >= nextTelemetryAt {
            out.append(DeviceMessages.telemetry(
                serial: serial, reading: reading, arcCount: arcCountSinceReport.rounded(.down),
                position: position, tripCause: tripCause))
            arcCountSinceReport = 0
            statistics.telemetryPacks += 1
            let interval = Double(profile.reporting.telemetryIntervalS)
            nextTelemetryAt += interval * ((now - nextTelemetryAt) / interval + 1).rounded(.down)
        }
        return out
    }

    /// Someone at the cabinet pressed reset: clears a short-circuit latch and closes the breaker.
    public mutating func manualReset(now: Double) -> [Outgoing] {
        isLatched = false
        recloseAt = nil
        guard position == .open else { return [] }
        return close(at: now)
    }

    /// Starts a fault of `kind` at `now`, whatever the configured rates: for demos and tests. Its effects
    /// and the events it raises come with the next `tick(now:)` at or after `now`. Ignored while open
    /// (the load is de-energised) or while a fault of the same kind is under way.
    public mutating func inject(_ kind: FaultKind, now: Double) {
        startFault(kind, at: max(now, self.now))
    }
}

/// Counts for a run's summary and for tests.
public struct SimulationStatistics: Sendable, Equatable {
    /// Faults started, by kind.
    public var faults: [FaultKind: Int] = [:]
    /// Events raised, by type.
    public var events: [EventType: Int] = [:]
    /// Protective trips (not remote ones).
    public var trips = 0
    public var telemetryPacks = 0
    /// Pushed profiles applied and rejected (each reported on `/v1/profile/applied`).
    public var profilesApplied = 0
    public var profilesRejected = 0
    /// Commands carried out (each id once; refusals of expired commands are not executions).
    public var commandsExecuted = 0
    /// Results of commands, by outcome (first reports only, not repeats).
    public var commandResults: [CommandResult.Outcome: Int] = [:]

    public init() {}
}
