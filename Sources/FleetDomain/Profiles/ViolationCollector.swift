/// Gathers the violations of one profile; each helper words its rule once, so every message reads
/// `field: value is above bound`.
struct ViolationCollector {
    private(set) var violations: [ProfileViolation] = []

    mutating func add(_ field: String, _ value: String, _ bound: String, _ basis: String?, _ rule: ProfileViolation.Rule, _ problem: String) {
        violations.append(ProfileViolation(
            field: field, value: value, bound: bound, basis: basis, rule: rule, message: "\(field): \(value) \(problem)"))
    }

    mutating func range(_ field: String, _ value: Int, _ bounds: ClosedRange<Int>, _ basis: String?) {
        if value < bounds.lowerBound {
            add(field, "\(value)", "\(bounds.lowerBound)", basis, .range, "is below \(bounds.lowerBound)")
        } else if value > bounds.upperBound {
            add(field, "\(value)", "\(bounds.upperBound)", basis, .range, "is above \(bounds.upperBound)")
        }
    }

    mutating func range(_ field: String, _ value: Double, _ bounds: ClosedRange<Double>, _ basis: String?) {
        let low = Diagnostic.number(bounds.lowerBound), high = Diagnostic.number(bounds.upperBound)
        if !value.isFinite {
            add(field, "\(value)", "\(low)–\(high)", basis, .range, "is not a number within \(low)–\(high)")
        } else if value < bounds.lowerBound {
            add(field, Diagnostic.number(value), low, basis, .range, "is below \(low)")
        } else if value > bounds.upperBound {
            add(field, Diagnostic.number(value), high, basis, .range, "is above \(high)")
        }
    }

    /// 0 means off; anything else must be within `bounds`.
    mutating func zeroOr(_ field: String, _ value: Int, _ bounds: ClosedRange<Int>, _ basis: String?) {
        guard value != 0, !bounds.contains(value) else { return }
        add(field, "\(value)", "0 or \(bounds.lowerBound)–\(bounds.upperBound)", basis, .range,
            "is neither 0 (off) nor within \(bounds.lowerBound)–\(bounds.upperBound)")
    }

    /// `field` must be strictly below `other`; reported on `field`.
    mutating func below<T: Comparable & CustomStringConvertible>(_ field: String, _ value: T, _ otherField: String, _ other: T, _ basis: String?) {
        guard value >= other else { return }
        let (shown, otherShown) = (Self.show(value), Self.show(other))
        add(field, shown, "< \(otherField) = \(otherShown)", basis, .order, "is not below \(otherField) (\(otherShown))")
    }

    /// `field` must be at most `other`; reported on `field`.
    mutating func notAbove<T: Comparable & CustomStringConvertible>(_ field: String, _ value: T, _ otherField: String, _ other: T, _ basis: String?) {
        guard value > other else { return }
        let (shown, otherShown) = (Self.show(value), Self.show(other))
        add(field, shown, "≤ \(otherField) = \(otherShown)", basis, .order, "is above \(otherField) (\(otherShown))")
    }

    /// Text of `bytes` UTF-8 bytes without control characters.
    mutating func text(_ field: String, _ value: String, _ bytes: ClosedRange<Int>) {
        let count = value.utf8.count
        let shown = ProfileValidator.quoted(value)
        if count < bytes.lowerBound {
            add(field, shown, "\(bytes.lowerBound) bytes", nil, .pattern, "is empty")
        } else if count > bytes.upperBound {
            add(field, shown, "\(bytes.upperBound) bytes", nil, .pattern, "is \(count) bytes, above \(bytes.upperBound)")
        } else if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            add(field, shown, "no control characters", nil, .pattern, "has a control character")
        }
    }

    private static func show<T: CustomStringConvertible>(_ value: T) -> String {
        if let double = value as? Double { return Diagnostic.number(double) }
        return value.description
    }
}
