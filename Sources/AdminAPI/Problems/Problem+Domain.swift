import FleetDomain
import FleetServices
import Hummingbird

extension Problem {
    /// A refused domain operation as the status a client expects: 400 with the fields, 404, 409, 410, 403.
    /// A refusal by a named rule carries it as the problem's type (`urn:breakerfleet:problem:<rule>`) and
    /// title, the detail saying what would satisfy it.
    init(domain error: DomainError) {
        switch error.code {
        case .invalid:
            self = .validation(error.issues.map { FieldError(field: $0.field, message: $0.message) })
        case .notFound: self = .notFound(error.message)
        case .conflict: self = Problem(.conflict, detail: error.message, rule: error.rule)
        case .gone: self = Problem(.gone, detail: error.message)
        case .forbidden: self = Problem(.forbidden, detail: error.message, rule: error.rule)
        }
    }

    static let ruleTypePrefix = "urn:breakerfleet:problem:"

    private init(_ status: HTTPResponse.Status, detail: String, rule: DomainError.Rule?) {
        guard let rule else {
            self.init(status, detail: detail)
            return
        }
        self.init(status, detail: detail, type: Self.ruleTypePrefix + rule.name, title: rule.title)
    }
}

extension Problem {
    /// A refused profile document: 400 listing every decoding problem and every violation (field, value,
    /// bound, basis), so the whole profile can be fixed in one go.
    init(profile rejection: ProfileRejection) {
        let issues = rejection.issues.map { issue in
            FieldError(field: String(issue.prefix { $0 != ":" }), message: issue)
        }
        let violations = rejection.violations.map {
            FieldError(field: $0.field, message: $0.description, value: $0.value, bound: $0.bound, basis: $0.basis)
        }
        let errors = issues + violations
        self = Problem(
            .badRequest, detail: "profile \(rejection.id ?? "(no id)") refused: \(errors.count) problem(s): "
                + errors.map(\.message).joined(separator: "; "),
            type: Self.validationType, title: "Invalid threshold profile", errors: errors)
    }
}
