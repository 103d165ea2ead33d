import FleetDomain

/// A JSON document as a small tree, for the device bodies that are rare enough not to need a dedicated
/// scanner (registration, events). Read with the same `JSONCursor` as SenML, so grammar errors read the same.
enum JSONValue {
    case null
    case bool(Bool)
    /// Every JSON number as a double: the integers the device API carries are all far below 2^53.
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in document order; a name appears at most once (duplicates are refused).
    case object([(name: String, value: JSONValue)])

    /// Nesting deeper than this is refused: these bodies are flat.
    static let maximumDepth = 16

    /// Parses one JSON text.
    static func parse(_ body: [UInt8]) throws(DeviceAPIError) -> JSONValue {
        guard !body.isEmpty else { throw .invalid("body", "empty, expected a JSON object") }
        return try body.withUnsafeBytes { bytes in
            Result { () throws(DeviceAPIError) -> JSONValue in
                var cursor = JSONCursor(bytes)
                cursor.skipWhitespace()
                let value = try parseValue(&cursor, path: "", depth: 0)
                cursor.skipWhitespace()
                guard cursor.isAtEnd else { throw cursor.unexpected("the end of the body") }
                return value
            }
        }.get()
    }

    /// What kind of value this is, for `expected a string, found a number`.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    private static func parseValue(_ cursor: inout JSONCursor, path: String, depth: Int) throws(DeviceAPIError) -> JSONValue {
        switch cursor.byte {
        case UInt8(ascii: "\""):
            let string = try cursor.scanString()  // scanned first: decoding may grow the cursor's scratch
            return .string(cursor.text(string))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = cursor.at
            let number = try cursor.scanNumber()
            guard number.isFinite else {
                throw .invalid(path.isEmpty ? "body" : path, "\(Diagnostic.echo(cursor.bytes(start..<cursor.at))) is out of range")
            }
            return .number(number)
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            guard depth < maximumDepth else { throw cursor.malformed("nested deeper than \(maximumDepth) levels") }
            return cursor.byte == UInt8(ascii: "[")
                ? try parseArray(&cursor, path: path, depth: depth + 1)
                : try parseObject(&cursor, path: path, depth: depth + 1)
        default:
            guard let literal = try cursor.scanLiteral() else { throw cursor.unexpected("a value") }
            return literal.map(JSONValue.bool) ?? .null
        }
    }

    private static func parseArray(_ cursor: inout JSONCursor, path: String, depth: Int) throws(DeviceAPIError) -> JSONValue {
        cursor.at += 1
        cursor.skipWhitespace()
        var elements: [JSONValue] = []
        if cursor.byte == UInt8(ascii: "]") {
            cursor.at += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(&cursor, path: "\(path)[\(elements.count)]", depth: depth))
            cursor.skipWhitespace()
            if cursor.byte == UInt8(ascii: ",") {
                cursor.at += 1
                cursor.skipWhitespace()
                if cursor.byte == UInt8(ascii: "]") { throw cursor.malformed("trailing comma") }
                continue
            }
            guard cursor.byte == UInt8(ascii: "]") else { throw cursor.unexpected("',' or ']'") }
            cursor.at += 1
            return .array(elements)
        }
    }

    private static func parseObject(_ cursor: inout JSONCursor, path: String, depth: Int) throws(DeviceAPIError) -> JSONValue {
        cursor.at += 1
        cursor.skipWhitespace()
        var members: [(name: String, value: JSONValue)] = []
        if cursor.byte == UInt8(ascii: "}") {
            cursor.at += 1
            return .object(members)
        }
        while true {
            guard cursor.byte == UInt8(ascii: "\"") else { throw cursor.unexpected("a field name") }
            let nameString = try cursor.scanString()
            let name = cursor.text(nameString)
            let memberPath = path.isEmpty ? name : "\(path).\(name)"
            guard !members.contains(where: { $0.name == name }) else {
                throw .invalid(Diagnostic.echo(memberPath), "duplicate field")
            }
            cursor.skipWhitespace()
            try cursor.consume(UInt8(ascii: ":"), "':'")
            cursor.skipWhitespace()
            members.append((name, try parseValue(&cursor, path: memberPath, depth: depth)))
            cursor.skipWhitespace()
            if cursor.byte == UInt8(ascii: ",") {
                cursor.at += 1
                cursor.skipWhitespace()
                if cursor.byte == UInt8(ascii: "}") { throw cursor.malformed("trailing comma") }
                continue
            }
            guard cursor.byte == UInt8(ascii: "}") else { throw cursor.unexpected("',' or '}'") }
            cursor.at += 1
            return .object(members)
        }
    }
}
