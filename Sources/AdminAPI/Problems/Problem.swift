import AdminAPIModel
import Foundation
import Hummingbird

/// An RFC 9457 problem: every error the admin API answers with, rendered as `application/problem+json`.
///
/// Handlers throw it; Hummingbird (or `ProblemMiddleware`) calls `response(from:context:)`. Any other
/// error is turned into one by `ProblemMiddleware`, so clients only ever parse this one shape.
struct Problem: HTTPResponseError, Sendable {
    /// One invalid input, named so a client can point at the form field or query parameter.
    typealias FieldError = ProblemDetails.FieldError

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

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try AdminJSON.encoder().encode(details)
        var headers = headers
        headers[.contentType] = ProblemDetails.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The body as the wire model; `errors` is left out when nil.
    var details: ProblemDetails {
        ProblemDetails(type: type, title: title, status: Int(status.code), detail: detail, errors: errors)
    }
}

extension Problem: CustomStringConvertible {
    var description: String { "\(status.code) \(title): \(detail)" }
}
