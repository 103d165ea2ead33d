import FleetDomain
import Foundation
import Hummingbird

/// `/api/v1/models`: the certified-model registry.
struct ModelHandlers: Sendable {
    let store: any FleetStore
    let services: RegistryServices
    let clock: @Sendable () -> Date

    /// `POST /api/v1/models` → 201 the model; 409 if the code exists. The device plane learns it at once.
    func add(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        var body = try await BodyFields.read(request, context: context)
        let code = body.string("code")
        let manufacturer = body.string("manufacturer")
        let number = body.string("certification_number")
        let validFrom = body.date("valid_from")
        let validUntil = body.date("valid_until")
        let rated = body.number("rated_current_a")
        let poles = body.integer("poles")
        let names = body.strings("capabilities", required: false) ?? []
        var capabilities: [ModelCapability] = []
        for name in names {
            if let capability = ModelCapability(rawValue: name) {
                capabilities.append(capability)
            } else {
                body.add([FieldIssue("capabilities", "capability \(name) is not one of: \(ModelCapability.allowedList)")])
            }
        }
        guard let code, let manufacturer, let number, let validFrom, let validUntil, let rated, let poles else {
            try body.validate()
            throw Problem.badRequest("incomplete model")
        }
        let model = CertifiedModel(
            code: code, manufacturer: manufacturer, certificationNumber: number, validFrom: validFrom,
            validUntil: validUntil, ratedCurrentA: rated, poles: poles, capabilities: capabilities)
        body.add(model.validate())
        try body.validate()
        do {
            try await store.insertModel(model)
        } catch let error as StoreError where error.code == .duplicate {
            throw Problem.conflict("model \(code) already exists")
        }
        await services.registryChanged()
        context.logger.notice("certified a model", metadata: ["model": "\(code)"])
        return try .json(ModelRepresentation(model, now: clock()), status: .created,
                         headers: [.location: "/api/v1/models/\(code)"], request: request, context: context)
    }

    func list(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let registry = try await store.certificationRegistry()
        let now = clock()
        let models = registry.models.values.sorted { $0.code < $1.code }.map {
            ModelRepresentation($0, now: now, banned: registry.bannedModels.contains($0.code))
        }
        return try .json(["models": models], request: request, context: context)
    }

    func show(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        let registry = try await store.certificationRegistry()
        guard let model = registry.models[code] else { throw Problem.notFound("no model \(code)") }
        return try .json(ModelRepresentation(model, now: clock(), banned: registry.bannedModels.contains(code)),
                         request: request, context: context)
    }
}

/// A model with whether it is certified right now (validity and bans applied).
struct ModelRepresentation: Encodable, Sendable {
    let model: CertifiedModel
    let certified: Bool
    let banned: Bool

    init(_ model: CertifiedModel, now: Date, banned: Bool = false) {
        self.model = model
        self.banned = banned
        self.certified = !banned && model.isCertified(at: now)
    }

    private enum CodingKeys: String, CodingKey {
        case code, manufacturer, poles, capabilities, certified, banned
        case certificationNumber = "certification_number", validFrom = "valid_from", validUntil = "valid_until"
        case ratedCurrentA = "rated_current_a"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model.code, forKey: .code)
        try container.encode(model.manufacturer, forKey: .manufacturer)
        try container.encode(model.certificationNumber, forKey: .certificationNumber)
        try container.encode(model.validFrom, forKey: .validFrom)
        try container.encode(model.validUntil, forKey: .validUntil)
        try container.encode(model.ratedCurrentA, forKey: .ratedCurrentA)
        try container.encode(model.poles, forKey: .poles)
        try container.encode(model.capabilities, forKey: .capabilities)
        try container.encode(certified, forKey: .certified)
        try container.encode(banned, forKey: .banned)
    }
}
