import FleetDomain

// Protection: what the breaker does about faults and readings, under the profile in force. Short circuits
// and overloads always trip (a short circuit latches); leakage, temperature and arc faults alarm or trip as
// the profile's action says; voltage faults trip and may re-close after `auto_reclose_s`.
extension SimulatedBreaker {
    /// Acts on every fault noticed up to `now`, in the order protection would have noticed them.
    mutating func protect(until now: Double) -> [Outgoing] {
        var out: [Outgoing] = []
        while let index = nextDetection(until: now) {
            faults[index].handled = true
            let fault = faults[index]
            let at = detectionTime(of: fault)
            // A fault shorter than its delay is never seen; one starting after the breaker opened carries no load.
            guard position == .closed, fault.end > at || fault.kind == .short else { continue }
            out += act(on: fault, at: at)
        }
        return out
    }

    private func nextDetection(until now: Double) -> Int? {
        var best: (index: Int, at: Double)?
        for (index, fault) in faults.enumerated() where !fault.handled {
            let at = detectionTime(of: fault)
            if at <= now, at < best?.at ?? .infinity { best = (index, at) }
        }
        return best?.index
    }

    private mutating func act(on fault: ActiveFault, at: Double) -> [Outgoing] {
        let phase = "l\(fault.phase + 1)"
        switch fault.kind {
        case .short:
            isLatched = true
            return protectiveEvent(.shortCircuit, at: at, value: fault.magnitude, phase: phase, trips: true)
        case .overload:
            return protectiveEvent(.overload, at: at, value: fault.magnitude, phase: phase, trips: true)
        case .leakage:
            return protectiveEvent(.leakage, at: at, value: fault.magnitude / 1000, phase: nil, trips: profile.leakage.action == .trip)
        case .arc:
            arcCountSinceReport += fault.magnitude * (fault.end - fault.start)
            return protectiveEvent(.arcFault, at: at, value: fault.magnitude, phase: phase, trips: profile.arc.action == .trip)
        case .overvoltage, .undervoltage:
            let type: EventType = fault.kind == .overvoltage ? .overVoltage : .underVoltage
            let out = protectiveEvent(type, at: at, value: fault.magnitude, phase: phase, trips: true)
            let reclose = profile.voltage.autoRecloseS
            recloseAt = reclose > 0 ? fault.end + Double(reclose) : nil
            return out
        case .overtemp:
            return []
        }
    }

    /// Raises the event of a protective function and opens the breaker if it trips; the trip cause is the
    /// event type, as the telemetry's `trip_cause` reports it.
    mutating func protectiveEvent(_ type: EventType, at: Double, value: Double?, phase: String?, trips: Bool, cause: String? = nil) -> [Outgoing] {
        let event = raise(type, at: at, value: value, phase: phase, action: trips ? .tripped : .alarmOnly)
        if trips {
            position = .open
            tripCause = cause ?? type.rawValue
            statistics.trips += 1
        }
        return [event]
    }

    /// Checks the sampled reading: wire temperatures against the temperature group, power against the
    /// power limit.
    mutating func protectSampled(_ reading: ElectricalReading) -> [Outgoing] {
        var out: [Outgoing] = []
        let temperatures = reading.wireTempC + [reading.neutralTempC]
        let hottest = temperatures.indices.max { temperatures[$0] < temperatures[$1] }!
        let hottestC = temperatures[hottest]
        let group = profile.temperature
        let alarmDue = temperatureAlarm.update(
            active: hottestC >= group.alarmC, cleared: hottestC < group.warnC, now: reading.time, delay: Double(group.delayS))
        if alarmDue, position == .closed {
            let phase = hottest < reading.wireTempC.count ? "l\(hottest + 1)" : "n"
            out += protectiveEvent(.overTemperature, at: reading.time, value: hottestC, phase: phase, trips: group.action == .trip)
        }
        let limit = Double(profile.power.limitW)
        let overLimit = limit > 0 && reading.powerW > limit
        let limitDue = powerLimit.update(
            active: overLimit, cleared: !overLimit, now: reading.time, delay: Double(profile.overload.tripDelayS))
        if limitDue, position == .closed {
            out += protectiveEvent(.overload, at: reading.time, value: reading.powerW, phase: nil, trips: true, cause: "power_limit")
        }
        return out
    }

    /// Re-closes after a voltage trip once `auto_reclose_s` has passed since the voltage returned.
    /// Never after any other cause, and never while latched.
    mutating func reclose(at now: Double) -> [Outgoing] {
        guard let due = recloseAt, now >= due else { return [] }
        recloseAt = nil
        guard position == .open, !isLatched, tripCause == EventType.overVoltage.rawValue || tripCause == EventType.underVoltage.rawValue
        else { return [] }
        return close(at: due)
    }

    /// Closes the breaker and reports a `reset` event.
    mutating func close(at time: Double) -> [Outgoing] {
        position = .closed
        tripCause = nil
        return [raise(.reset, at: time, value: nil, phase: nil, action: nil)]
    }

    /// An event with a fresh id: the time it happened and a per-device sequence number, so ids never repeat
    /// across restarts of the simulator (time moves on) and a retransmission keeps its id.
    mutating func raise(_ type: EventType, at: Double, value: Double?, phase: String?, action: EventAction?) -> Outgoing {
        eventSequence += 1
        let seconds = Int64(at.rounded(.down))
        let report = EventReport(
            id: "e-\(seconds)-\(eventSequence)", type: type, at: seconds, value: value.map(DeviceMessages.rounded),
            phase: phase, action: action)
        statistics.events[type, default: 0] += 1
        return DeviceMessages.event(report)
    }
}
