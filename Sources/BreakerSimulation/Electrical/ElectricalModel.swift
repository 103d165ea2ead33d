import Foundation
import FleetDomain

/// The electrical world behind one breaker: supply voltage, a daily load with noise, leakage, and wire
/// temperatures that follow the current with a thermal lag.
///
/// Deterministic for a seed and a sequence of `advance` calls. Temperatures relax toward
/// `ambient + riseAtRatedC · (I / I_rated)² + fault heat` with time constant `thermalTimeConstantS`,
/// integrated exactly (`1 − e^(−Δt/τ)`), so a one-minute tick and a one-second tick agree.
public struct ElectricalModel: Sendable {
    /// Temperature rise of a conductor carrying its rated current (°C), leaving margin to a PVC70 cable.
    public static let riseAtRatedC = 25.0
    public static let thermalTimeConstantS = 900.0
    public static let supplyV = 230.0
    public static let powerFactor = 0.95

    let phases: Int
    let ratedCurrentA: Double
    let category: SiteCategory
    let utcOffsetSeconds: Int
    private var generator: SeededGenerator
    /// How unevenly the load is spread over the phases (1 for a single phase).
    private let imbalance: [Double]
    /// A slowly wandering load factor: AR(1) noise, so consecutive minutes resemble each other.
    private var loadDrift = 0.0
    private var wireTempC: [Double]
    private var neutralTempC: Double
    private var lastTime: Double
    private var lastPowerW = 0.0
    public private(set) var energyWh = 0.0

    init(configuration: BreakerConfiguration, seed: UInt64, now: Double) {
        phases = configuration.phases
        ratedCurrentA = configuration.ratedCurrentA
        category = configuration.siteCategory
        utcOffsetSeconds = configuration.utcOffsetSeconds
        var generator = SeededGenerator(seed: seed)
        imbalance = phases == 1 ? [1] : (0..<3).map { _ in generator.uniform(0.8...1.05) }
        energyWh = generator.uniform(0...50_000)  // a breaker is rarely new
        self.generator = generator
        lastTime = now
        let ambient = Self.ambientC(at: now, utcOffsetSeconds: utcOffsetSeconds)
        wireTempC = Array(repeating: ambient, count: phases)
        neutralTempC = ambient
    }

    /// Air temperature around the cabinet: 16–28 °C over a day, warmest at 15:00 local time.
    public static func ambientC(at time: Double, utcOffsetSeconds: Int) -> Double {
        22 + 6 * sin(2 * .pi * (localHour(time, utcOffsetSeconds) - 9) / 24)
    }

    static func localHour(_ time: Double, _ utcOffsetSeconds: Int) -> Double {
        let seconds = (time + Double(utcOffsetSeconds)).truncatingRemainder(dividingBy: 86_400)
        return (seconds < 0 ? seconds + 86_400 : seconds) / 3600
    }

    /// The reading at `now`, after integrating temperatures and energy since the last call.
    mutating func advance(to now: Double, closed: Bool, effects: FaultEffects) -> ElectricalReading {
        let dt = max(0, now - lastTime)
        lastTime = max(lastTime, now)
        let ambient = Self.ambientC(at: now, utcOffsetSeconds: utcOffsetSeconds)
        loadDrift = loadDrift * exp(-dt / 1800) + generator.gaussian(deviation: 0.04) * (1 - exp(-dt / 1800)).squareRoot()
        let base = LoadCurve.fraction(category, localHour: Self.localHour(now, utcOffsetSeconds))
        let fraction = min(max(base * (1 + loadDrift), 0.01), 0.82)

        var voltages: [Double] = []
        var currents: [Double] = []
        for phase in 0..<phases {
            let sag = 6 * fraction
            let voltage = effects.voltageV[phase].map { $0 + generator.gaussian(deviation: 0.3) }
                ?? Self.supplyV - sag + generator.gaussian(deviation: 1.2)
            voltages.append(Self.clamp(voltage, ElectricalReading.voltageBounds))
            var current = ratedCurrentA * fraction * imbalance[phase] * (1 + generator.gaussian(deviation: 0.02))
            if let forced = effects.currentA[phase] { current = forced }
            currents.append(closed ? max(0, current) : 0)
        }
        let neutralCurrent = Self.neutralCurrent(currents)
        let relax = 1 - exp(-dt / Self.thermalTimeConstantS)
        for phase in 0..<phases {
            let heat = closed ? effects.heatC[phase] ?? 0 : 0
            let target = ambient + Self.riseAtRatedC * pow(currents[phase] / ratedCurrentA, 2) + heat
            wireTempC[phase] += (target - wireTempC[phase]) * relax
        }
        neutralTempC += (ambient + Self.riseAtRatedC * pow(neutralCurrent / ratedCurrentA, 2) - neutralTempC) * relax

        let leakage = closed ? (effects.leakageA ?? max(0, 0.002 + 0.006 * fraction + generator.gaussian(deviation: 0.0005))) : 0
        let power = zip(voltages, currents).reduce(0) { $0 + $1.0 * $1.1 * Self.powerFactor }
        energyWh += (lastPowerW + power) / 2 * dt / 3600
        lastPowerW = power
        let temperatureBounds = (ambient - ElectricalReading.belowAmbientC)...ElectricalReading.maximumTempC
        let noisy = { (value: Double, generator: inout SeededGenerator) in
            Self.clamp(value + generator.gaussian(deviation: 0.15), temperatureBounds)
        }
        return ElectricalReading(
            time: now, voltageV: voltages, currentA: currents, neutralCurrentA: neutralCurrent, leakageA: leakage,
            wireTempC: wireTempC.map { noisy($0, &generator) }, neutralTempC: noisy(neutralTempC, &generator),
            cabinetTempC: noisy(ambient + 3 + (closed ? 5 * fraction : 0), &generator), ambientC: ambient,
            powerW: power, energyWh: energyWh, arcHalfCyclesPerS: closed ? effects.arcHalfCyclesPerS : 0)
    }

    /// The neutral carries the phasor sum of the phase currents (120° apart); on one phase, all of it.
    static func neutralCurrent(_ currents: [Double]) -> Double {
        guard currents.count == 3 else { return currents.first ?? 0 }
        let (a, b, c) = (currents[0], currents[1], currents[2])
        return max(0, a * a + b * b + c * c - a * b - b * c - c * a).squareRoot()
    }

    static func clamp(_ value: Double, _ bounds: ClosedRange<Double>) -> Double {
        min(max(value, bounds.lowerBound), bounds.upperBound)
    }
}
