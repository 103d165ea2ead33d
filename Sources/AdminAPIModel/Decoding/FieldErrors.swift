import FleetDomain

/// Every field of a request body that could not be decoded, collected by `FieldReader` so one answer
/// names them all instead of the first only.
public struct FieldErrors: Error, Sendable, Equatable {
    public var issues: [FieldIssue]

    public init(_ issues: [FieldIssue]) {
        self.issues = issues
    }
}

extension FieldIssue {
    /// A decoding failure as the field it concerns and what was expected there.
    public init(_ error: DecodingError, expected: String? = nil) {
        switch error {
        case .keyNotFound(let key, let context):
            let field = FieldPath.describe(context.codingPath + [key])
            self.init(field, "\(field) is required")
        case .valueNotFound(_, let context):
            let field = FieldPath.describe(context.codingPath)
            self.init(field, "\(field) is required")
        case .typeMismatch(let type, let context):
            let field = FieldPath.describe(context.codingPath)
            self.init(field, "\(field) must be \(expected ?? FieldPath.expectation(type))")
        case .dataCorrupted(let context):
            let field = FieldPath.describe(context.codingPath)
            self.init(field, expected.map { "\(field) must be \($0)" } ?? "\(field) is invalid: \(context.debugDescription)")
        @unknown default:
            self.init("body", "\(error)")
        }
    }
}

/// Field names as a client writes them: `manager.phone`, `rows[1].model`.
public enum FieldPath {
    public static func describe(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text.isEmpty ? "body" : text
    }

    /// What a value of `type` looks like in JSON.
    public static func expectation(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [String].Type: "an array of strings"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "of type \(type)"
        }
    }
}
