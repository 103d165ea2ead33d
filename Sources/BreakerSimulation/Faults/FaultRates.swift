/// How often each fault happens, per device-hour: the `--faults arc=0.01,leakage=0.005` of `breaker-sim`.
public struct FaultRates: Sendable, Equatable, Hashable {
    /// Per device-hour. 3600 is one per second: beyond that a fault cannot end before the next begins.
    public static let range: ClosedRange<Double> = 0...3600

    private var rates: [FaultKind: Double]

    /// No faults at all.
    public static let none = FaultRates(checked: [:])

    /// Rates given per kind; absent kinds are 0. Throws for a rate outside `range` or not finite.
    public init(_ rates: [FaultKind: Double]) throws(FaultRatesError) {
        for kind in FaultKind.allCases {
            guard let rate = rates[kind] else { continue }
            try Self.check(rate, key: kind.rawValue, text: "\(rate)")
        }
        self.rates = rates
    }

    private init(checked rates: [FaultKind: Double]) {
        self.rates = rates
    }

    /// Faults per device-hour of `kind`.
    public subscript(kind: FaultKind) -> Double {
        rates[kind] ?? 0
    }

    /// Whether any fault can happen at all.
    public var isEmpty: Bool { rates.values.allSatisfy { $0 == 0 } }

    /// Parses `arc=0.01,leakage=0.005`: comma-separated `kind=rate` pairs, each kind at most once,
    /// whitespace around items allowed; an empty text means no faults.
    public static func parse(_ text: String) throws(FaultRatesError) -> FaultRates {
        var rates: [FaultKind: Double] = [:]
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        if text.allSatisfy(\.isWhitespace) { return .none }
        for rawItem in items {
            let item = rawItem.trimmingWhitespace()
            guard let equals = item.firstIndex(of: "=") else {
                throw FaultRatesError(key: item, "\(item.isEmpty ? "empty item" : "'\(item)'") is not kind=rate")
            }
            let key = item[..<equals].trimmingWhitespace()
            let valueText = item[item.index(after: equals)...].trimmingWhitespace()
            guard let kind = FaultKind(rawValue: key) else {
                let allowed = FaultKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw FaultRatesError(key: key, "unknown fault '\(key)', expected one of \(allowed)")
            }
            guard rates[kind] == nil else { throw FaultRatesError(key: key, "\(key) is given twice") }
            guard let rate = Double(valueText) else {
                throw FaultRatesError(key: key, "\(key): '\(valueText)' is not a number")
            }
            try check(rate, key: key, text: valueText)
            rates[kind] = rate
        }
        return FaultRates(checked: rates)
    }

    /// `arc=0.01,leakage=0.005` for the non-zero rates, in `FaultKind` order.
    public var text: String {
        FaultKind.allCases.compactMap { kind in
            let rate = self[kind]
            return rate > 0 ? "\(kind.rawValue)=\(rate)" : nil
        }.joined(separator: ",")
    }

    private static func check(_ rate: Double, key: String, text: String) throws(FaultRatesError) {
        guard rate.isFinite else { throw FaultRatesError(key: key, "\(key): \(text) is not a finite rate") }
        if rate < range.lowerBound {
            throw FaultRatesError(key: key, "\(key): \(text) per hour is below \(Int(range.lowerBound))")
        }
        if rate > range.upperBound {
            throw FaultRatesError(key: key, "\(key): \(text) per hour is above \(Int(range.upperBound))")
        }
    }
}

/// A `--faults` text that cannot be used, naming the key and what is wrong with it.
public struct FaultRatesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key of the offending item (or the item itself when it has no `=`).
    public let key: String
    public let message: String

    public init(key: String, _ message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { message }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        let text = String(self)
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }
}
