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
