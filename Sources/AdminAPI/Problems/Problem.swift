import Foundation
import Hummingbird

/// An RFC 9457 problem: every error the admin API answers with, rendered as `application/problem+json`.
///
/// Handlers throw it; Hummingbird (or `ProblemMiddleware`) calls `response(from:context:)`. Any other
/// error is turned into one by `ProblemMiddleware`, so clients only ever parse this one shape.
struct Problem: HTTPResponseError, Sendable {
    /// One invalid input, named so a client can point at the form field or query parameter.
    struct FieldError: Encodable, Sendable, Equatable {
        var field: String
        var message: String
        /// For a threshold-profile violation: the value found, the bound it broke and the standard behind it.
        var value: String?
        var bound: String?
        var basis: String?

        init(field: String, message: String, value: String? = nil, bound: String? = nil, basis: String? = nil) {
            self.field = field
            self.message = message
            self.value = value
            self.bound = bound
            self.basis = basis
        }
    }

    var status: HTTPResponse.Status
    /// `about:blank` when the status says it all, else a URN naming the kind of problem.
    var type: String
    var title: String
    var detail: String
    /// Present (non-nil) for validation problems only.
    var errors: [FieldError]?
    /// Extra response headers, e.g. `WWW-Authenticate` on 401 and `Allow` on 405.
    var headers: HTTPFields

    init(
        _ status: HTTPResponse.Status, detail: String, type: String = "about:blank", title: String? = nil,
        errors: [FieldError]? = nil, headers: HTTPFields = [:]
    ) {
        self.status = status
        self.type = type
        // RFC 9457 §4.2.1: with `about:blank` the title should be the status phrase.
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    static let contentType = "application/problem+json"

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try AdminRequestContext.makeEncoder().encode(Body(
            type: type, title: title, status: Int(status.code), detail: detail, errors: errors))
        var headers = headers
        headers[.contentType] = Self.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The wire shape; `errors` is left out when nil.
    private struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var errors: [FieldError]?
    }
}

extension Problem: CustomStringConvertible {
    var description: String { "\(status.code) \(title): \(detail)" }
}
