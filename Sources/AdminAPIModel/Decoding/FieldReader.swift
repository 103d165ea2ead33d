import FleetDomain

/// Decodes the fields of one JSON object, collecting every missing or mistyped one instead of stopping
/// at the first, so a request body's problem names them all.
///
/// A request type's `init(from:)` reads each field through it and ends with `complete`, which throws
/// `FieldErrors` if anything was wrong. Nested objects decoded through it contribute their own issues,
/// named by their full path. `null` counts as absent, as clients building bodies from forms send it.
public struct FieldReader<Key: CodingKey> {
    private let container: KeyedDecodingContainer<Key>
    public private(set) var issues: [FieldIssue] = []

    public init(_ decoder: any Decoder, keyedBy: Key.Type) throws {
        container = try decoder.container(keyedBy: Key.self)
    }

    /// The value at `key`, or nil with an issue when it is missing or of the wrong type.
    public mutating func required<T: Decodable>(_ key: Key, _ type: T.Type = T.self) -> T? {
        let known = issues.count
        guard let value: T = optional(key) else {
            if issues.count == known {
                issues.append(FieldIssue(path(key), "\(path(key)) is required"))
            }
            return nil
        }
        return value
    }

    /// The value at `key`, nil when absent or null; an issue when present with the wrong type.
    public mutating func optional<T: Decodable>(_ key: Key, _ type: T.Type = T.self) -> T? {
        do {
            return try container.decodeIfPresent(T.self, forKey: key)
        } catch let nested as FieldErrors {
            issues += nested.issues
        } catch let error as DecodingError {
            issues.append(FieldIssue(error, expected: Self.expectation(error, key: key, path: path(key), type: T.self)))
        } catch {
            // The JSON reader's own refusals (a fraction for an integer, a number out of range) concern the
            // value at `key` itself.
            issues.append(FieldIssue(path(key), "\(path(key)) must be \(FieldPath.expectation(T.self))"))
        }
        return nil
    }

    /// Throws every collected issue, or returns the values, all present.
    public func complete<each T>(_ value: repeat (each T)?) throws -> (repeat each T) {
        if !issues.isEmpty { throw FieldErrors(issues) }
        return (repeat try Self.unwrap(each value))
    }

    private static func unwrap<T>(_ value: T?) throws -> T {
        guard let value else { throw FieldErrors([FieldIssue("body", "incomplete body")]) }
        return value
    }

    private func path(_ key: Key) -> String {
        FieldPath.describe(container.codingPath + [key])
    }

    /// The field's own expected type when the mismatch is the field itself (not something inside it).
    private static func expectation<T>(_ error: DecodingError, key: Key, path: String, type: T.Type) -> String? {
        let context: DecodingError.Context? = switch error {
        case .typeMismatch(_, let context), .dataCorrupted(let context): context
        default: nil
        }
        guard let context, FieldPath.describe(context.codingPath) == path else { return nil }
        return FieldPath.expectation(type)
    }
}
