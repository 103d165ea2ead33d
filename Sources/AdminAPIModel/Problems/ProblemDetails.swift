import Foundation

/// An RFC 9457 problem, the body of every error the admin API answers with
/// (`application/problem+json`).
public struct ProblemDetails: Codable, Sendable, Equatable, Error {
    /// One invalid input, named so a client can point at the form field or query parameter.
    public struct FieldError: Codable, Sendable, Equatable {
        public var field: String
        public var message: String
        /// For a threshold-profile violation: the value found, the bound it broke and the standard behind it.
        public var value: String?
        public var bound: String?
        public var basis: String?

        public init(field: String, message: String, value: String? = nil, bound: String? = nil, basis: String? = nil) {
            self.field = field
            self.message = message
            self.value = value
            self.bound = bound
            self.basis = basis
        }
    }

    public static let contentType = "application/problem+json"

    /// `about:blank` when the status says it all, else a URN naming the kind of problem.
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    /// Present for validation problems only.
    public var errors: [FieldError]?

    public init(type: String, title: String, status: Int, detail: String, errors: [FieldError]? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
    }
}

extension ProblemDetails: CustomStringConvertible {
    /// `400 Invalid request` and then each field error on its own line (a validation problem's detail only
    /// joins them), or the detail.
    public var description: String {
        var text = "\(status) \(title)"
        let errors = errors ?? []
        if errors.isEmpty { text += ": \(detail)" }
        for error in errors {
            text += error.message.hasPrefix(error.field) ? "\n  \(error.message)" : "\n  \(error.field): \(error.message)"
        }
        return text
    }
}
