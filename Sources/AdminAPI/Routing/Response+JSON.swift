import Hummingbird

extension Response {
    /// A JSON response through the context's encoder (ISO 8601 dates), with a status other than 200
    /// when needed (201 on creation) and extra headers such as `Location`.
    static func json(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
        request: Request, context: AdminRequestContext
    ) throws -> Response {
        var response = try context.responseEncoder.encode(value, from: request, context: context)
        response.status = status
        response.headers.append(contentsOf: headers)
        return response
    }
}
