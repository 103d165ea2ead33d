import FleetDomain
import Hummingbird

/// The problems the admin API answers with, so each status is worded the same way everywhere.
extension Problem {
    static let validationType = "urn:breakerfleet:problem:validation"

    /// 400 listing every invalid field at once, so a client can fix them all in one round trip.
    static func validation(_ errors: [FieldError]) -> Problem {
        Problem(
            .badRequest, detail: errors.map(\.message).joined(separator: "; "), type: validationType,
            title: "Invalid request", errors: errors)
    }

    static func validation(field: String, _ message: String) -> Problem {
        validation([FieldError(field: field, message: message)])
    }

    /// 400 for a body that cannot be read at all (not JSON, not an object).
    static func badRequest(_ detail: String) -> Problem {
        Problem(.badRequest, detail: detail)
    }

    /// 401 with the challenge RFC 6750 asks for, so clients know a bearer token is expected.
    static func unauthorized(_ detail: String) -> Problem {
        Problem(.unauthorized, detail: detail, headers: [.wwwAuthenticate: "Bearer"])
    }

    /// 403 naming the roles that may make the call, so the operator knows which token to use.
    static func forbidden(requires roles: Set<Role>, has role: Role) -> Problem {
        let names = Role.allCases.filter(roles.contains).map(\.rawValue)
        let needed = names.count == 1 ? "role \(names[0])" : "one of the roles \(names.joined(separator: ", "))"
        return Problem(.forbidden, detail: "this call requires \(needed); the token has role \(role.rawValue)")
    }

    static func notFound(_ detail: String) -> Problem {
        Problem(.notFound, detail: detail)
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method]) -> Problem {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return Problem(
            .methodNotAllowed, detail: "\(method.rawValue) is not allowed on \(path); allowed: \(list)",
            headers: [.allow: list])
    }

    static func conflict(_ detail: String) -> Problem {
        Problem(.conflict, detail: detail)
    }

    /// 429 with `Retry-After`, saying how many attempts the limit allows and when the next one may come.
    static func tooManyRequests(_ what: String, limit: AdminAPIConfiguration.RateLimit, retryAfter seconds: Int) -> Problem {
        Problem(
            .tooManyRequests,
            detail: "too many \(what) from this address: at most \(limit.attempts) per \(Int(limit.seconds)) s; "
                + "try again in \(seconds) s",
            headers: [.retryAfter: "\(seconds)"])
    }

    static func contentTooLarge(limit: Int) -> Problem {
        Problem(.contentTooLarge, detail: "request body exceeds the limit of \(limit / 1024) KiB")
    }

    /// 500 that says nothing about the cause (it is logged) but quotes the request id to find it by.
    static func internalError(requestID: String) -> Problem {
        Problem(
            .internalServerError,
            detail: "the server failed to handle the request; the cause is logged under request id \(requestID)")
    }
}
