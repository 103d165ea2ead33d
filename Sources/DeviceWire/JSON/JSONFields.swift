import FleetDomain

/// Typed, bounded reads of a JSON object's members, each failure a `DeviceAPIError` naming the member by
/// its path: `lifetime: 5 is below 60`, `model: missing`, `caps[2]: expected a string, found a number`.
///
/// `null` counts as absent: an optional member may be sent as `null`, a required one may not.
/// Members not read are ignored, so a device may send fields this server does not know yet.
struct JSONFields {
    let path: String
    private let members: [(name: String, value: JSONValue)]

    /// The top-level object of `body`.
    init(body: [UInt8]) throws(DeviceAPIError) {
        let value = try JSONValue.parse(body)
        guard case .object(let members) = value else {
            throw .invalid("body", "expected a JSON object, found \(value.kind)")
        }
        self.path = ""
        self.members = members
    }

    /// The object `value` at `path`.
    init(_ value: JSONValue, path: String) throws(DeviceAPIError) {
        guard case .object(let members) = value else {
            throw .invalid(path, "expected an object, found \(value.kind)")
        }
        self.path = path
        self.members = members
    }

    func path(of name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// The members' names in document order (for documents that refuse unknown members).
    var names: [String] { members.map(\.name) }

    /// The member `name`, nil if absent or null.
    subscript(name: String) -> JSONValue? {
        guard let value = members.first(where: { $0.name == name })?.value else { return nil }
        if case .null = value { return nil }
        return value
    }

    func required(_ name: String) throws(DeviceAPIError) -> JSONValue {
        guard let value = self[name] else {
            let present = members.contains { $0.name == name }
            throw .invalid(path(of: name), present ? "null, expected a value" : "missing")
        }
        return value
    }

    // MARK: Strings

    /// A string of `bytes` UTF-8 bytes without control characters.
    func string(_ name: String, bytes: ClosedRange<Int>) throws(DeviceAPIError) -> String {
        try JSONFields.string(required(name), path: path(of: name), bytes: bytes)
    }

    func optionalString(_ name: String, bytes: ClosedRange<Int>) throws(DeviceAPIError) -> String? {
        guard let value = self[name] else { return nil }
        return try JSONFields.string(value, path: path(of: name), bytes: bytes)
    }

    /// A string that is one of `T`'s raw values; the error lists them.
    func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws(DeviceAPIError) -> T where T.RawValue == String {
        try JSONFields.choice(required(name), path: path(of: name), type)
    }

    func optionalChoice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws(DeviceAPIError) -> T? where T.RawValue == String {
        guard let value = self[name] else { return nil }
        return try JSONFields.choice(value, path: path(of: name), type)
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ value: JSONValue, path: String, _ type: T.Type) throws(DeviceAPIError) -> T where T.RawValue == String {
        guard case .string(let text) = value else { throw .invalid(path, "expected a string, found \(value.kind)") }
        guard let choice = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalid(path, "\(Diagnostic.echo(text)) is not one of \(allowed)")
        }
        return choice
    }

    static func string(_ value: JSONValue, path: String, bytes: ClosedRange<Int>) throws(DeviceAPIError) -> String {
        guard case .string(let text) = value else { throw .invalid(path, "expected a string, found \(value.kind)") }
        let count = text.utf8.count
        if count < bytes.lowerBound {
            throw .invalid(path, count == 0 ? "empty" : "\(count) bytes is below \(bytes.lowerBound)")
        }
        guard count <= bytes.upperBound else { throw .invalid(path, "\(count) bytes is above \(bytes.upperBound)") }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .invalid(path, "\(Diagnostic.echo(text)) has a control character")
        }
        return text
    }

    // MARK: Numbers

    /// A whole number within `range`.
    func integer<T: FixedWidthInteger>(_ name: String, in range: ClosedRange<T>) throws(DeviceAPIError) -> T {
        try JSONFields.integer(required(name), path: path(of: name), in: range)
    }

    func optionalInteger<T: FixedWidthInteger>(_ name: String, in range: ClosedRange<T>) throws(DeviceAPIError) -> T? {
        guard let value = self[name] else { return nil }
        return try JSONFields.integer(value, path: path(of: name), in: range)
    }

    static func integer<T: FixedWidthInteger>(_ value: JSONValue, path: String, in range: ClosedRange<T>) throws(DeviceAPIError) -> T {
        guard case .number(let number) = value else { throw .invalid(path, "expected an integer, found \(value.kind)") }
        guard number == number.rounded() else { throw .invalid(path, "\(Diagnostic.number(number)) is not an integer") }
        if let exact = T(exactly: number), range.contains(exact) { return exact }
        throw number < Double(range.lowerBound)
            ? .invalid(path, "\(Diagnostic.number(number)) is below \(range.lowerBound)")
            : .invalid(path, "\(Diagnostic.number(number)) is above \(range.upperBound)")
    }

    func optionalNumber(_ name: String) throws(DeviceAPIError) -> Double? {
        guard let value = self[name] else { return nil }
        guard case .number(let number) = value else {
            throw .invalid(path(of: name), "expected a number, found \(value.kind)")
        }
        return number
    }
}
