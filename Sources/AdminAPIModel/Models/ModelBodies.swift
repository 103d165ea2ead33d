import FleetDomain
import Foundation

/// `POST /api/v1/models`. Dates are text (`2026-01-01` or RFC 3339) and capabilities names, so that a
/// wrong one is reported with what is accepted.
public struct ModelRequest: Codable, Sendable, Equatable {
    public var code: String
    public var manufacturer: String
    public var certificationNumber: String
    public var validFrom: String
    public var validUntil: String
    public var ratedCurrentA: Double
    public var poles: Int
    public var capabilities: [String]?
    /// PSK length for devices of a `psk_only` model, 16–32; 16 when absent.
    public var presharedKeyBytes: Int?

    public init(
        code: String, manufacturer: String, certificationNumber: String, validFrom: String, validUntil: String,
        ratedCurrentA: Double, poles: Int, capabilities: [String]? = nil, presharedKeyBytes: Int? = nil
    ) {
        self.presharedKeyBytes = presharedKeyBytes
        self.code = code
        self.manufacturer = manufacturer
        self.certificationNumber = certificationNumber
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.ratedCurrentA = ratedCurrentA
        self.poles = poles
        self.capabilities = capabilities
    }

    enum CodingKeys: String, CodingKey {
        case code, manufacturer, poles, capabilities
        case certificationNumber = "certification_number", validFrom = "valid_from", validUntil = "valid_until"
        case ratedCurrentA = "rated_current_a", presharedKeyBytes = "psk_key_bytes"
    }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let code: String? = fields.required(.code)
        let manufacturer: String? = fields.required(.manufacturer)
        let number: String? = fields.required(.certificationNumber)
        let validFrom: String? = fields.required(.validFrom)
        let validUntil: String? = fields.required(.validUntil)
        let rated: Double? = fields.required(.ratedCurrentA)
        let poles: Int? = fields.required(.poles)
        capabilities = fields.optional(.capabilities)
        presharedKeyBytes = fields.optional(.presharedKeyBytes)
        (self.code, self.manufacturer, self.certificationNumber, self.validFrom, self.validUntil, self.ratedCurrentA,
         self.poles) = try fields.complete(code, manufacturer, number, validFrom, validUntil, rated, poles)
    }
}

/// A model with whether it is certified right now (validity and bans applied).
public struct ModelRepresentation: Codable, Sendable, Equatable {
    public var code: String
    public var manufacturer: String
    public var certificationNumber: String
    public var validFrom: Date
    public var validUntil: Date
    public var ratedCurrentA: Double
    public var poles: Int
    public var capabilities: [ModelCapability]
    public var presharedKeyBytes: Int
    public var certified: Bool
    public var banned: Bool

    public init(_ model: CertifiedModel, now: Date, banned: Bool = false) {
        code = model.code
        manufacturer = model.manufacturer
        certificationNumber = model.certificationNumber
        validFrom = model.validFrom
        validUntil = model.validUntil
        ratedCurrentA = model.ratedCurrentA
        poles = model.poles
        capabilities = model.capabilities
        presharedKeyBytes = model.presharedKeyBytes
        self.banned = banned
        certified = !banned && model.isCertified(at: now)
    }

    enum CodingKeys: String, CodingKey {
        case code, manufacturer, poles, capabilities, certified, banned
        case certificationNumber = "certification_number", validFrom = "valid_from", validUntil = "valid_until"
        case ratedCurrentA = "rated_current_a", presharedKeyBytes = "psk_key_bytes"
    }
}

/// `GET /api/v1/models`.
public struct ModelList: Codable, Sendable, Equatable {
    public var models: [ModelRepresentation]

    public init(models: [ModelRepresentation]) { self.models = models }
}
