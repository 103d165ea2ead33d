import FleetDomain

/// Typed reads of a profile document that record a failure and go on, so the decoder reports every
/// problem of a document instead of the first. A field that fails keeps its default.
struct ProfileReader {
    private(set) var issues: [String] = []

    mutating func read<T>(_ body: () throws(DeviceAPIError) -> T) -> T? {
        do {
            return try body()
        } catch {
            issues.append(error.diagnostic)
            return nil
        }
    }

    /// Reports members of `object` not in `known`.
    mutating func unknown(in object: JSONFields, known: [String], what: String) {
        for name in object.names where !known.contains(name) {
            issues.append("\(Diagnostic.echo(object.path(of: name))): unknown field, expected \(what): \(known.joined(separator: ", "))")
        }
    }

    /// The group `name` of `root`, nil if absent, null or not an object (reported).
    mutating func group<Keys: CodingKey & CaseIterable>(_ root: JSONFields, _ name: String, _ keys: Keys.Type) -> JSONFields? {
        guard let value = root[name] else { return nil }
        guard let fields = read({ () throws(DeviceAPIError) in try JSONFields(value, path: name) }) else { return nil }
        unknown(in: fields, known: keys.allCases.map(\.stringValue), what: "one of")
        return fields
    }

    mutating func integer(_ object: JSONFields, _ name: String, into target: inout Int) {
        if let value = read({ () throws(DeviceAPIError) in try object.optionalInteger(name, in: Int.min...Int.max) }), let value {
            target = value
        }
    }

    mutating func number(_ object: JSONFields, _ name: String, into target: inout Double) {
        if let value = read({ () throws(DeviceAPIError) in try object.optionalNumber(name) }), let value {
            target = value
        }
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ object: JSONFields, _ name: String, into target: inout T) where T.RawValue == String {
        if let value = read({ () throws(DeviceAPIError) in try object.optionalChoice(name, T.self) }), let value {
            target = value
        }
    }

    mutating func bool(_ object: JSONFields, _ name: String, into target: inout Bool) {
        guard let value = object[name] else { return }
        guard case .bool(let flag) = value else {
            issues.append("\(object.path(of: name)): expected true or false, found \(value.kind)")
            return
        }
        target = flag
    }
}
