import ArgumentParser

/// A duration on the command line: a whole number with a unit, `90s`, `30m`, `24h`, `30d`.
struct DurationArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
    let seconds: Int
    let text: String

    init?(argument: String) {
        guard let unit = argument.last, let count = Int(argument.dropLast()), count > 0 else { return nil }
        let factor: Int
        switch unit {
        case "s": factor = 1
        case "m": factor = 60
        case "h": factor = 3600
        case "d": factor = 86_400
        default: return nil
        }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        self.seconds = seconds
        self.text = argument
    }

    var description: String { text }

    static let help = "a whole number with a unit: s, m, h or d (e.g. 30m, 30d)"
}
