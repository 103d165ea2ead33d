import FleetDomain
import Hummingbird
import Logging

/// Turns every error into an RFC 9457 problem, outermost of the API's own middleware so nothing escapes
/// as Hummingbird's default bodies: unknown routes (404, or 405 when only the method is wrong), bodies too
/// large, and unexpected errors (500, logged with the request id, never shown to the client).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AdminRequestContext

    let routes: RouteIndex

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = self.problem(for: error, request: request, context: context)
            if problem.status.kind == .serverError {
                context.logger.error("request failed", metadata: [
                    "error": "\(String(reflecting: error))", "method": "\(request.method)", "path": "\(request.uri.path)",
                ])
            } else {
                context.logger.debug("request refused", metadata: ["problem": "\(problem)"])
            }
            return try problem.response(from: request, context: context)
        }
    }

    private func problem(for error: any Error, request: Request, context: Context) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as DomainError:
            return Problem(domain: error)
        case let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound":
            // Hummingbird's router throws this for both an unknown path and a known path with another method.
            let path = request.uri.path
            let allowed = routes.allowedMethods(forPath: path)
            if allowed.isEmpty { return .notFound("no resource at \(path)") }
            return .methodNotAllowed(request.method, path: path, allowed: allowed)
        case let error as HTTPError:
            return Problem(error.status, detail: error.body ?? error.status.reasonPhrase, headers: error.headers)
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            return .contentTooLarge(limit: context.maxUploadSize)
        case let error as any HTTPResponseError where error.status.kind == .clientError:
            return Problem(error.status, detail: error.status.reasonPhrase)
        default:
            return .internalError(requestID: context.requestID)
        }
    }
}
