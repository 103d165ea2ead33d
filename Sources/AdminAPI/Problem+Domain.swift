import FleetDomain
import Hummingbird

extension Problem {
    /// A refused domain operation as the status a client expects: 400 with the fields, 404, 409, 410, 403.
    init(domain error: DomainError) {
        switch error.code {
        case .invalid:
            self = .validation(error.issues.map { FieldError(field: $0.field, message: $0.message) })
        case .notFound: self = .notFound(error.message)
        case .conflict: self = .conflict(error.message)
        case .gone: self = Problem(.gone, detail: error.message)
        case .forbidden: self = Problem(.forbidden, detail: error.message)
        }
    }
}
