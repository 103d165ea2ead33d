import AdminAPIModel
import FleetDomain
import Foundation
import Hummingbird

/// Reading JSON request bodies into the API's request types, with problems a client can act on.
enum JSONBody {
    /// The body, at most `limit` bytes (the context's upload limit by default; 413 beyond).
    static func collect(_ request: Request, context: AdminRequestContext, limit: Int? = nil) async throws -> Data {
        let limit = limit ?? context.maxUploadSize
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem.contentTooLarge(limit: limit)
        }
    }

    /// Collects and decodes the body strictly (`AdminJSON.decodeRequest`): a body that is not a JSON object
    /// is a 400, and every missing, null or mistyped field a validation problem naming each.
    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: AdminRequestContext, limit: Int? = nil
    ) async throws -> T {
        try decode(type, from: try await collect(request, context: context, limit: limit))
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try AdminJSON.decodeRequest(type, from: data)
        } catch .fields(let issues) {
            throw Problem(domain: .invalid(issues))
        } catch {
            throw Problem.badRequest(error.message)
        }
    }
}
