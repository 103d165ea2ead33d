import Foundation

/// Checks JSON values against the schemas of the OpenAPI document, the subset it uses: `$ref`, `oneOf`,
/// `type` (one or a list), `enum`, `properties` with `required`, `additionalProperties`, `items`,
/// `minimum`/`maximum`. Objects are closed unless `additionalProperties` says otherwise, so a key a
/// model writes and the document does not list is drift. It remembers which schemas and which of their
/// properties the values exercised, to find documented keys that no model writes.
struct SchemaValidator {
    let schemas: [String: JSONValue]
    private(set) var visited: Set<String> = []
    private(set) var seen: [String: Set<String>] = [:]

    init(document: JSONValue) {
        schemas = document["components"]?["schemas"]?.object ?? [:]
    }

    /// Every violation of `value` against the named component schema, each with its path.
    mutating func errors(_ value: JSONValue, schema name: String) -> [String] {
        errors(value, against: .object(["$ref": .string("#/components/schemas/\(name)")]), path: name, owner: nil)
    }

    private mutating func errors(_ value: JSONValue, against schema: JSONValue, path: String, owner: String?) -> [String] {
        if let reference = schema["$ref"]?.string {
            let name = String(reference.split(separator: "/").last ?? "")
            guard let target = schemas[name] else { return ["\(path): unknown schema \(reference)"] }
            visited.insert(name)
            return errors(value, against: target, path: path, owner: name)
        }
        if let alternatives = schema["oneOf"]?.array {
            let results = alternatives.map { errors(value, against: $0, path: path, owner: nil) }
            return results.contains(where: \.isEmpty) ? [] : ["\(path): matches no alternative: \(results.flatMap { $0 })"]
        }
        var found: [String] = []
        if let types = schema["type"], !Self.kinds(types).contains(where: { Self.matches(value, $0) }) {
            return ["\(path): \(value) is not of type \(Self.kinds(types).joined(separator: " or "))"]
        }
        if let allowed = schema["enum"]?.array, !allowed.contains(value) {
            found.append("\(path): \(value) is not one of \(allowed)")
        }
        if case .number(let number) = value {
            if case .number(let minimum)? = schema["minimum"], number < minimum { found.append("\(path): \(number) < \(minimum)") }
            if case .number(let maximum)? = schema["maximum"], number > maximum { found.append("\(path): \(number) > \(maximum)") }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() {
                found += errors(item, against: itemSchema, path: "\(path)[\(index)]", owner: nil)
            }
        }
        if case .object(let members) = value {
            found += objectErrors(members, against: schema, path: path, owner: owner)
        }
        return found
    }

    private mutating func objectErrors(
        _ members: [String: JSONValue], against schema: JSONValue, path: String, owner: String?
    ) -> [String] {
        var found: [String] = []
        let properties = schema["properties"]?.object ?? [:]
        if let owner { seen[owner, default: []].formUnion(members.keys) }
        for key in schema["required"]?.strings ?? [] where members[key] == nil {
            found.append("\(path): required key \(key) is missing")
        }
        for (key, member) in members.sorted(by: { $0.key < $1.key }) {
            if let propertySchema = properties[key] {
                found += errors(member, against: propertySchema, path: "\(path).\(key)", owner: nil)
            } else if let additional = schema["additionalProperties"], additional != .bool(false) {
                if additional != .bool(true) { found += errors(member, against: additional, path: "\(path).\(key)", owner: nil) }
            } else {
                found.append("\(path): key \(key) is not in the schema")
            }
        }
        return found
    }

    private static func kinds(_ type: JSONValue) -> [String] {
        type.string.map { [$0] } ?? type.strings
    }

    private static func matches(_ value: JSONValue, _ kind: String) -> Bool {
        switch (kind, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array),
             ("object", .object): true
        case ("integer", .number(let number)): number.rounded() == number
        default: false
        }
    }
}
