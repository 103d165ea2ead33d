import FleetDomain

/// The fields that differ between two versions of a profile, as JSON paths with both values
/// (`leakage.alarm_ma: 300 → 200`), in the canonical field order of the newer version. `version` itself is not a difference.
public struct ProfileDiff: Sendable, Equatable {
    public struct Change: Sendable, Equatable, CustomStringConvertible {
        public var field: String
        /// JSON spellings; nil when the field is absent on that side (an optional header field).
        public var old: String?
        public var new: String?

        public var description: String { "\(field): \(old ?? "(absent)") → \(new ?? "(absent)")" }
    }

    public var changes: [Change]

    public init(from old: ThresholdProfile, to new: ThresholdProfile) {
        let before = Self.flatten(old)
        let after = Self.flatten(new)
        var seen = Set<String>()
        var changes: [Change] = []
        for (field, _) in after + before where seen.insert(field).inserted {
            let was = before.first { $0.field == field }?.value
            let now = after.first { $0.field == field }?.value
            if was != now { changes.append(Change(field: field, old: was, new: now)) }
        }
        self.changes = changes
    }

    /// Leaf fields of the canonical JSON in document order.
    private static func flatten(_ profile: ThresholdProfile) -> [(field: String, value: String)] {
        var unversioned = profile
        unversioned.version = nil
        guard let root = try? JSONValue.parse(unversioned.jsonBytes()) else { return [] }
        var leaves: [(field: String, value: String)] = []
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let members):
                for member in members { walk(member.value, path.isEmpty ? member.name : "\(path).\(member.name)") }
            default:
                leaves.append((path, value.spelled))
            }
        }
        walk(root, "")
        return leaves
    }
}

extension JSONValue {
    /// The value as JSON would write a scalar (arrays and objects are not in profiles' leaves).
    var spelled: String {
        switch self {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): "\"\(text)\""
        case .array: "[…]"
        case .object: "{…}"
        }
    }
}
