import AdminAPIModel
import FleetDomain
import FleetServices
import Foundation
import Hummingbird

/// `/api/v1/models`: the certified-model registry.
struct ModelHandlers: Sendable {
    let store: any FleetStore
    let services: RegistryServices
    let clock: @Sendable () -> Date
    let audit: AuditTrail

    /// `POST /api/v1/models` → 201 the model; 409 if the code exists. The device plane learns it at once.
    func add(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(ModelRequest.self, from: request, context: context)
        var issues: [FieldIssue] = []
        let validFrom = Self.date(body.validFrom, field: "valid_from", into: &issues)
        let validUntil = Self.date(body.validUntil, field: "valid_until", into: &issues)
        var capabilities: [ModelCapability] = []
        for name in body.capabilities ?? [] {
            if let capability = ModelCapability(rawValue: name) {
                capabilities.append(capability)
            } else {
                issues.append(FieldIssue("capabilities", "capability \(name) is not one of: \(ModelCapability.allowedList)"))
            }
        }
        guard let validFrom, let validUntil else { throw Problem(domain: .invalid(issues)) }
        let code = body.code
        let model = CertifiedModel(
            code: code, manufacturer: body.manufacturer, certificationNumber: body.certificationNumber,
            validFrom: validFrom, validUntil: validUntil, ratedCurrentA: body.ratedCurrentA, poles: body.poles,
            capabilities: capabilities, presharedKeyBytes: body.presharedKeyBytes ?? CertifiedModel.defaultPresharedKeyBytes)
        issues += model.validate()
        if !issues.isEmpty { throw Problem(domain: .invalid(issues)) }
        do {
            try await store.insertModel(model)
        } catch let error as StoreError where error.code == .duplicate {
            throw Problem.conflict("model \(code) already exists")
        }
        await services.registryChanged()
        context.logger.notice("certified a model", metadata: ["model": "\(code)"])
        await audit.record(context, action: "model.add", target: "model:\(code)",
                           detail: ["manufacturer": model.manufacturer, "ccc": model.certificationNumber])
        return try .json(ModelRepresentation(model, now: clock()), status: .created,
                         headers: [.location: "/api/v1/models/\(code)"], request: request, context: context)
    }

    func list(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let registry = try await store.certificationRegistry()
        let now = clock()
        let models = registry.models.values.sorted { $0.code < $1.code }.map {
            ModelRepresentation($0, now: now, banned: registry.bannedModels.contains($0.code))
        }
        return try .json(ModelList(models: models), request: request, context: context)
    }

    func show(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let code = try Identifier.model(context.parameters.get("code") ?? "")
        let registry = try await store.certificationRegistry()
        guard let model = registry.models[code] else { throw Problem.notFound("no model \(code)") }
        return try .json(ModelRepresentation(model, now: clock(), banned: registry.bannedModels.contains(code)),
                         request: request, context: context)
    }

    /// RFC 3339 (`2026-01-01T00:00:00Z`) or a plain date (`2026-01-01`, midnight UTC).
    static func date(_ text: String, field: String, into issues: inout [FieldIssue]) -> Date? {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: text) { return date }
        issues.append(FieldIssue(field, "\(field) must be a date such as 2026-01-01 or 2026-01-01T00:00:00Z"))
        return nil
    }
}
