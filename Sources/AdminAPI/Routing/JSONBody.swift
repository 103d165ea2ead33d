import Foundation
import Hummingbird

/// Reading JSON request bodies into problems a client can act on.
enum JSONBody {
    /// The body, at most `context.maxUploadSize` bytes (413 beyond).
    static func collect(_ request: Request, context: AdminRequestContext) async throws -> Data {
        do {
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            return Data(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem.contentTooLarge(limit: context.maxUploadSize)
        }
    }

    /// Decodes a JSON object; a syntax error, a non-object or a field of the wrong type is a 400 naming it.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        guard !data.isEmpty else { throw Problem.badRequest("request body is empty; expected a JSON object") }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            throw Problem.badRequest("request body must be a JSON object")
        } catch DecodingError.typeMismatch(let expected, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem.validation(field: field, "\(field) must be \(describe(expected))")
        } catch let error as DecodingError {
            throw Problem.badRequest("request body is not valid JSON: \(syntaxError(in: data) ?? "\(error)")")
        }
    }

    /// JSONDecoder only says "not valid JSON"; JSONSerialization says where (e.g. "around character 5").
    private static func syntaxError(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            return (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        default: "of type \(type)"
        }
    }
}
