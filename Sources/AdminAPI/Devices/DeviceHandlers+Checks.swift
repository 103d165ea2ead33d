import AdminAPIModel
import FleetDomain
import Foundation

extension DeviceHandlers {
    /// Provisioning takes certified, unexpired, unbanned models only: 400 naming `model` otherwise.
    func requireCertified(_ model: String, at now: Date) async throws {
        if let refusal = try await store.certificationRegistry().refusal(model, at: now) {
            throw Problem.validation(field: "model", refusal)
        }
    }
}

extension DeviceHandlers {
    /// The serial and model of a provisioning request, both checked so one problem names every bad field.
    static func validate(_ body: ProvisionRequest) throws -> Serial {
        var errors: [Problem.FieldError] = []
        let serial = Serial(body.serial)
        if serial == nil { errors.append(.init(field: "serial", message: "serial must match \(Serial.rule)")) }
        if !Provisioning.isValidModel(body.model) {
            errors.append(.init(field: "model", message: "model must be \(Provisioning.modelPattern)"))
        }
        guard let serial, errors.isEmpty else { throw Problem.validation(errors) }
        return serial
    }
}
