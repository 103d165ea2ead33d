import Foundation

/// A breaker or detector model that passed national mandatory certification (CCC).
///
/// Only devices of a model certified at the time may register or be provisioned; the registry is data
/// an admin maintains (`breakerfleet model add`), not code.
public struct CertifiedModel: Sendable, Equatable, Codable {
    public var code: String
    public var manufacturer: String
    /// The CCC certificate number.
    public var certificationNumber: String
    public var validFrom: Date
    public var validUntil: Date
    public var ratedCurrentA: Double
    public var poles: Int
    public var capabilities: [ModelCapability]
    /// The length of the pre-shared key a device of a `psk_only` model is given, in bytes: 16 by default,
    /// the most tinydtls (and many small DTLS stacks) accept; up to 32 for stacks that take longer keys.
    public var presharedKeyBytes: Int

    public init(
        code: String, manufacturer: String, certificationNumber: String, validFrom: Date, validUntil: Date,
        ratedCurrentA: Double, poles: Int, capabilities: [ModelCapability],
        presharedKeyBytes: Int = CertifiedModel.defaultPresharedKeyBytes
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

    /// Miniature and moulded-case breakers on final and distribution circuits: 1 A to 630 A.
    public static let ratedCurrentRange = 1.0...630.0
    public static let polesRange = 1...4
    public static let defaultPresharedKeyBytes = 16
    public static let presharedKeyBytesRange = 16...32
    public static let certificationNumberRule = "4–64 characters of A–Z, a–z, 0–9, '-'"

    /// Certified at `now`: the certificate's validity covers it (from inclusive, until exclusive).
    public func isCertified(at now: Date) -> Bool {
        validFrom <= now && now < validUntil
    }

    public func has(_ capability: ModelCapability) -> Bool { capabilities.contains(capability) }

    /// Every broken rule, each naming its field and the bound.
    public func validate() -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if !Provisioning.isValidModel(code) {
            issues.append(FieldIssue("code", "code must be \(Provisioning.modelPattern)"))
        }
        TextRule.check(manufacturer, field: "manufacturer", max: 128, into: &issues)
        let number = TextRule.matches(certificationNumber, lengths: 4...64) { byte in
            TextRule.isDigit(byte) || TextRule.isUpper(byte) || TextRule.isLower(byte) || byte == UInt8(ascii: "-")
        }
        if !number {
            issues.append(FieldIssue("certification_number", "certification_number must be \(Self.certificationNumberRule)"))
        }
        if validUntil <= validFrom {
            issues.append(FieldIssue("valid_until", "valid_until must be after valid_from"))
        }
        if !Self.ratedCurrentRange.contains(ratedCurrentA) || !ratedCurrentA.isFinite {
            issues.append(FieldIssue(
                "rated_current_a",
                "rated_current_a \(ratedCurrentA) is outside \(Int(Self.ratedCurrentRange.lowerBound))–\(Int(Self.ratedCurrentRange.upperBound)) A"))
        }
        if !Self.polesRange.contains(poles) {
            issues.append(FieldIssue("poles", "poles \(poles) is outside \(Self.polesRange.lowerBound)–\(Self.polesRange.upperBound)"))
        }
        if !Self.presharedKeyBytesRange.contains(presharedKeyBytes) {
            issues.append(FieldIssue(
                "psk_key_bytes",
                "psk_key_bytes \(presharedKeyBytes) is outside \(Self.presharedKeyBytesRange.lowerBound)–\(Self.presharedKeyBytesRange.upperBound)"))
        }
        if Set(capabilities).count != capabilities.count {
            issues.append(FieldIssue("capabilities", "capabilities lists a capability twice"))
        }
        return issues
    }
}

/// What a certified model can do; `psk_only` marks models that cannot do ECDSA (they get a PSK).
public enum ModelCapability: String, Sendable, Codable, CaseIterable {
    case temperature
    case arcDetect = "arc_detect"
    case arcExtinguish = "arc_extinguish"
    case leakage
    case remoteTrip = "remote_trip"
    case remoteReset = "remote_reset"
    case pskOnly = "psk_only"

    public static let allowedList = allCases.map(\.rawValue).joined(separator: ", ")
}
