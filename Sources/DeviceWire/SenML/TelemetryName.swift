import FleetDomain

/// The telemetry names of spec/device-api.md ("Telemetry names") and what each must carry.
///
/// Names and units are string literals, so a measurement under a known name allocates nothing for them.
enum TelemetryName: UInt8, CaseIterable {
    case voltageL1, voltageL2, voltageL3
    case currentL1, currentL2, currentL3, currentN, leakage
    case tempL1, tempL2, tempL3, tempN, tempCabinet
    case power, energy, arcCount, breaker, tripCause

    enum Rule {
        /// A number (`v` or `s`) in exactly this unit; a missing unit is refused (the server never guesses).
        case measure(TelemetryUnit)
        /// A count (`v` or `s`): a whole number ≥ 0; unit `count` or none (a count has no SI unit).
        case count
        /// `vs`: `open` or `closed`.
        case breakerState
        /// `vs`: free text, 1–64 bytes.
        case text
    }

    /// The name.
    var string: String {
        switch self {
        case .voltageL1: "voltage_l1"
        case .voltageL2: "voltage_l2"
        case .voltageL3: "voltage_l3"
        case .currentL1: "current_l1"
        case .currentL2: "current_l2"
        case .currentL3: "current_l3"
        case .currentN: "current_n"
        case .leakage: "leakage"
        case .tempL1: "temp_l1"
        case .tempL2: "temp_l2"
        case .tempL3: "temp_l3"
        case .tempN: "temp_n"
        case .tempCabinet: "temp_cabinet"
        case .power: "power"
        case .energy: "energy"
        case .arcCount: "arc_count"
        case .breaker: "breaker"
        case .tripCause: "trip_cause"
        }
    }

    var rule: Rule {
        switch self {
        case .voltageL1, .voltageL2, .voltageL3: .measure(.volt)
        case .currentL1, .currentL2, .currentL3, .currentN, .leakage: .measure(.ampere)
        case .tempL1, .tempL2, .tempL3, .tempN, .tempCabinet: .measure(.celsius)
        case .power: .measure(.watt)
        case .energy: .measure(.wattHour)
        case .arcCount: .count
        case .breaker: .breakerState
        case .tripCause: .text
        }
    }

    /// The known name spelled by `bytes`, if any: the length and the first and last bytes pick the only
    /// candidate, which is then compared in full.
    static func named(_ bytes: UnsafeRawBufferPointer) -> TelemetryName? {
        guard bytes.count >= 5 else { return nil }
        let first = bytes[0], last = bytes[bytes.count - 1]
        let phase = last &- UInt8(ascii: "1")  // 0, 1, 2 for l1, l2, l3
        let candidate: TelemetryName?
        switch (bytes.count, first) {
        case (5, UInt8(ascii: "p")): candidate = .power
        case (6, UInt8(ascii: "e")): candidate = .energy
        case (6, UInt8(ascii: "t")): candidate = .tempN
        case (7, UInt8(ascii: "l")): candidate = .leakage
        case (7, UInt8(ascii: "b")): candidate = .breaker
        case (7, UInt8(ascii: "t")) where phase < 3: candidate = TelemetryName(rawValue: TelemetryName.tempL1.rawValue + phase)
        case (9, UInt8(ascii: "c")): candidate = .currentN
        case (9, UInt8(ascii: "a")): candidate = .arcCount
        case (10, UInt8(ascii: "v")) where phase < 3: candidate = TelemetryName(rawValue: TelemetryName.voltageL1.rawValue + phase)
        case (10, UInt8(ascii: "c")) where phase < 3: candidate = TelemetryName(rawValue: TelemetryName.currentL1.rawValue + phase)
        case (10, UInt8(ascii: "t")): candidate = .tripCause
        case (12, UInt8(ascii: "t")): candidate = .tempCabinet
        default: candidate = nil
        }
        guard let candidate, bytes.spells(candidate.string) else { return nil }
        return candidate
    }
}

/// The units of the known names, as SenML registers them (RFC 8428 §12.1).
enum TelemetryUnit {
    case volt, ampere, celsius, watt, wattHour, count

    var string: String {
        switch self {
        case .volt: "V"
        case .ampere: "A"
        case .celsius: "Cel"
        case .watt: "W"
        case .wattHour: "Wh"
        case .count: "count"
        }
    }
}
