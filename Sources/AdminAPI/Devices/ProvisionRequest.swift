import FleetDomain
import Foundation
import Hummingbird

/// The body of `POST /api/v1/devices`, read and validated: `{"serial": "BRK-0001", "model": "BF-100"}`.
///
/// Decoded by hand rather than through `request.decode` so every failure becomes a problem that names the
/// field, instead of Hummingbird's generic decoding message. Unknown fields are ignored, so older servers
/// accept bodies from newer clients.
struct ProvisionRequest: Sendable {
    let serial: Serial
    let model: String

    /// Both fields optional so that missing ones are reported together with invalid ones.
    private struct Body: Decodable {
        var serial: String?
        var model: String?
    }

    static func read(from request: Request, context: AdminRequestContext) async throws -> ProvisionRequest {
        let bytes = try await JSONBody.collect(request, context: context)
        let body = try JSONBody.decode(Body.self, from: bytes)

        var errors: [Problem.FieldError] = []
        let serial = body.serial.flatMap(Serial.init)
        switch body.serial {
        case nil: errors.append(.init(field: "serial", message: "serial is required"))
        case .some where serial == nil: errors.append(.init(field: "serial", message: "serial must match \(Serial.rule)"))
        default: break
        }
        switch body.model {
        case nil: errors.append(.init(field: "model", message: "model is required"))
        case .some(let model) where !Provisioning.isValidModel(model):
            errors.append(.init(field: "model", message: "model must be \(Provisioning.modelPattern)"))
        default: break
        }
        guard let serial, let model = body.model, errors.isEmpty else { throw Problem.validation(errors) }
        return ProvisionRequest(serial: serial, model: model)
    }
}
