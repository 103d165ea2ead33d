import FleetDomain

// Fault injection: when faults start, how strong and how long they are, and what they do to the readings.
// Strengths are set against the profile in force, so an injected fault always crosses its alarm or trip level
// and lasts past the profile's delay: what it raises is then decided by the profile's action alone.
extension SimulatedBreaker {
    /// Starts each kind of fault with its configured rate over `(previous, now]`, at a random instant
    /// within that window; at most one occurrence of a kind is under way at a time.
    mutating func injectFaults(from previous: Double, to now: Double) {
        let window = now - previous
        guard window > 0, !configuration.faults.isEmpty else { return }
        for kind in FaultKind.allCases {
            let rate = configuration.faults[kind]
            guard rate > 0, generator.happens(ratePerHour: rate, within: window) else { continue }
            startFault(kind, at: previous + generator.unit() * window)
        }
    }

    mutating func startFault(_ kind: FaultKind, at start: Double) {
        guard position == .closed, !faults.contains(where: { $0.kind == kind && $0.end > start }) else { return }
        let phase = Int(generator.next() % UInt64(configuration.phases))
        let (magnitude, duration) = shape(of: kind)
        faults.append(ActiveFault(
            kind: kind, phase: phase, start: start, end: start + duration, magnitude: magnitude,
            handled: kind == .overtemp))
        statistics.faults[kind, default: 0] += 1
    }

    /// Magnitude and duration (s) of a new fault under the current profile.
    private mutating func shape(of kind: FaultKind) -> (Double, Double) {
        let rated = configuration.ratedCurrentA
        switch kind {
        case .arc:
            return (generator.uniform(max(15, Double(profile.arc.halfCyclesPerS) + 1)...60), generator.uniform(1.5...8))
        case .leakage:
            let delay = Double(profile.leakage.delayS)
            return (Double(profile.leakage.alarmMA) * generator.uniform(1.1...2), delay + generator.uniform(30...900))
        case .overtemp:
            return (profile.temperature.alarmC + generator.uniform(10...40), generator.uniform(1200...5400))
        case .short:
            return (rated * profile.shortCircuit.instantMultiple * generator.uniform(1.2...3), 0.02)
        case .overload:
            let delay = Double(profile.overload.tripDelayS)
            return (rated * Double(profile.overload.tripPct) / 100 * generator.uniform(1.05...1.25), delay + generator.uniform(30...600))
        case .overvoltage:
            let trip = Double(profile.voltage.overTripV)
            return (generator.uniform(min(trip + 3, 299)...min(trip + 25, 300)), Double(profile.voltage.delayS) + generator.uniform(5...120))
        case .undervoltage:
            let trip = Double(profile.voltage.underTripV)
            return (generator.uniform(max(trip - 60, 0)...(trip - 3)), Double(profile.voltage.delayS) + generator.uniform(5...120))
        }
    }

    /// The effects of the faults under way at `time`.
    func faultEffects(at time: Double) -> FaultEffects {
        var effects = FaultEffects()
        for fault in faults where fault.isActive(at: time) {
            switch fault.kind {
            case .arc: effects.arcHalfCyclesPerS = fault.magnitude
            case .leakage: effects.leakageA = fault.magnitude / 1000
            case .overtemp:
                let ambient = ElectricalModel.ambientC(at: time, utcOffsetSeconds: configuration.utcOffsetSeconds)
                effects.heatC[fault.phase] = max(0, fault.magnitude - ambient)
            case .short: effects.currentA[fault.phase] = fault.magnitude
            case .overload: effects.currentA[fault.phase] = fault.magnitude
            case .overvoltage, .undervoltage: effects.voltageV[fault.phase] = fault.magnitude
            }
        }
        return effects
    }

    /// When protection notices `fault` under the current profile.
    func detectionTime(of fault: ActiveFault) -> Double {
        switch fault.kind {
        case .short: fault.start
        case .arc: fault.start + 1  // half-cycles are counted over one second (GB 50166-2019 §4.8.6)
        case .leakage: fault.start + Double(profile.leakage.delayS)
        case .overload: fault.start + Double(profile.overload.tripDelayS)
        case .overvoltage, .undervoltage: fault.start + Double(profile.voltage.delayS)
        case .overtemp: .infinity
        }
    }
}
