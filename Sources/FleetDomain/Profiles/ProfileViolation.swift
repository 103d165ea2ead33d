/// One way a threshold profile breaks spec/profiles.md or cannot be carried out by a model: the field (as
/// a JSON path), the value found, the bound it broke, and the standard the bound comes from.
///
/// `message` is what an admin, a CLI user or a device's `reason` reads: `leakage.alarm_ma: 2000 is above 1000`.
public struct ProfileViolation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public enum Rule: String, Sendable, Codable, CaseIterable, Hashable {
        /// A value outside its range (or not 0 where 0 means off).
        case range
        /// Two fields in the wrong order (`warn < alarm ≤ trip`, `under_trip < under_warn`).
        case order
        /// `temperature.alarm_c` above 80 % of the cable's rating without `override`.
        case cableRating
        /// Text that does not match its pattern or length (`id`, `standard_basis`, `notes`).
        case pattern
        /// A value that is not one of the allowed ones (`nominal_voltage_v`).
        case choice
        /// Something the model cannot do (`ProfileValidator.check`).
        case capability
    }

    /// JSON path: `leakage.alarm_ma`, `site_category`.
    public let field: String
    /// The value found, as JSON would spell it.
    public let value: String
    /// The bound broken: `1000`, `0 or 20–600`, `< leakage.alarm_ma = 300`, `capability arc_extinguish`.
    public let bound: String
    /// The standard clause or design note of the spec's table the bound rests on, if it names one.
    public let basis: String?
    public let rule: Rule
    public let message: String

    public init(field: String, value: String, bound: String, basis: String?, rule: Rule, message: String) {
        self.field = field
        self.value = value
        self.bound = bound
        self.basis = basis
        self.rule = rule
        self.message = message
    }

    /// The message, then the basis in brackets when there is one.
    public var description: String {
        guard let basis else { return message }
        return "\(message) [\(basis)]"
    }
}
