import FleetDomain
import Foundation

/// The one JSON way of the admin API, on both sides of the wire: the server encodes its answers and
/// decodes request bodies with these, the CLI the other way round, so dates, key order and strictness
/// can never differ between them.
public enum AdminJSON {
    /// RFC 3339 dates; sorted keys so bodies are stable to read, diff and test; `/` left unescaped.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Strict: a boolean is never a number, a number never a string, a fraction never an integer.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// Decodes a request body, reporting why it cannot be read in terms a client can act on: empty, not
    /// JSON (with where), not an object, or every missing and mistyped field by its path.
    public static func decodeRequest<T: Decodable>(_ type: T.Type, from data: Data) throws(BodyError) -> T {
        guard !data.isEmpty else { throw .empty }
        do {
            return try decoder().decode(type, from: data)
        } catch let errors as FieldErrors {
            throw .fields(errors.issues)
        } catch let error as DecodingError {
            throw BodyError(error)
        } catch {
            throw .syntax("\(error)")
        }
    }
}

/// Why a request body could not be decoded.
public enum BodyError: Error, Sendable, Equatable {
    case empty
    /// Not JSON at all; the decoder's own description of where.
    case syntax(String)
    /// JSON, but not an object.
    case notObject
    /// Missing, null, mistyped or unrepresentable fields, each named by its path (`manager.phone`, `rows[1].line`).
    case fields([FieldIssue])

    init(_ error: DecodingError) {
        if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
            self = .syntax(context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        } else if case .typeMismatch(_, let context) = error, context.codingPath.isEmpty {
            self = .notObject
        } else {
            self = .fields([FieldIssue(error)])
        }
    }

    /// The sentence a client reads (the problem's `detail`).
    public var message: String {
        switch self {
        case .empty: "request body is empty; expected a JSON object"
        case .syntax(let detail): "request body is not valid JSON: \(detail)"
        case .notObject: "request body must be a JSON object"
        case .fields(let issues): issues.map(\.message).joined(separator: "; ")
        }
    }
}
