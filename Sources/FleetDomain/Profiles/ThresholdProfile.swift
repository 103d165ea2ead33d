/// A threshold profile (spec/profiles.md): the levels at which a breaker warns, raises an alarm or trips,
/// how long a condition must last first, and how often it reports.
///
/// This is the one schema of a profile: the files in `Profiles/`, the store, the admin API and the body of
/// `GET /v1/profile` all carry it with the spec's JSON names. `Codable` is the strict form (every group
/// present, as stored and pushed); `ProfileDecoder` reads documents written by people, filling absent
/// fields with the spec's defaults and naming every type error. Values are checked by `ProfileValidator`,
/// never by decoding, so a stored profile and its violations can be shown side by side.
public struct ThresholdProfile: Sendable, Equatable, Hashable, Codable {
    /// `[a-z0-9-]{1,64}`.
    public var id: String
    /// Set by the server on every change (≥ 1); nil in a document that has not been stored yet.
    public var version: Int?
    public var siteCategory: SiteCategory
    /// The standards the values rest on, e.g. `GB 14287-2014; GB 50116-2013; GB 51348-2019`: the GB 14287
    /// family is being revised, so a profile says which edition it follows.
    public var standardBasis: String?
    /// 220 or 380 (V).
    public var nominalVoltageV: Int
    public var cableInsulation: CableInsulation
    /// Free text for operators; not interpreted.
    public var notes: String?

    public var leakage: Leakage
    public var temperature: Temperature
    public var arc: Arc
    public var overload: Overload
    public var shortCircuit: ShortCircuit
    public var voltage: Voltage
    public var power: Power
    public var reporting: Reporting
    public var remote: Remote

    public init(
        id: String, version: Int? = nil, siteCategory: SiteCategory, standardBasis: String? = nil,
        nominalVoltageV: Int = 220, cableInsulation: CableInsulation = .pvc70, notes: String? = nil,
        leakage: Leakage = Leakage(), temperature: Temperature = Temperature(), arc: Arc = Arc(),
        overload: Overload = Overload(), shortCircuit: ShortCircuit = ShortCircuit(), voltage: Voltage = Voltage(),
        power: Power = Power(), reporting: Reporting = Reporting(), remote: Remote = Remote()
    ) {
        self.id = id
        self.version = version
        self.siteCategory = siteCategory
        self.standardBasis = standardBasis
        self.nominalVoltageV = nominalVoltageV
        self.cableInsulation = cableInsulation
        self.notes = notes
        self.leakage = leakage
        self.temperature = temperature
        self.arc = arc
        self.overload = overload
        self.shortCircuit = shortCircuit
        self.voltage = voltage
        self.power = power
        self.reporting = reporting
        self.remote = remote
    }

    /// The spec's default column: what a breaker runs before the server has pushed it anything.
    public static let factoryDefault = ThresholdProfile(
        id: "default", siteCategory: .default,
        standardBasis: "GB 14287-2014; GB 50116-2013; GB 51348-2019")

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, version
        case siteCategory = "site_category"
        case standardBasis = "standard_basis"
        case nominalVoltageV = "nominal_voltage_v"
        case cableInsulation = "cable_insulation"
        case notes
        case leakage, temperature, arc, overload
        case shortCircuit = "short_circuit"
        case voltage, power, reporting, remote
    }

    /// A profile id: `[a-z0-9-]{1,64}` (profile ids appear in file names, URLs and device payloads).
    public static func isValidID(_ id: String) -> Bool {
        ProfileValidator.Limits.id.contains(id.utf8.count)
            && id.utf8.allSatisfy { $0 &- UInt8(ascii: "a") < 26 || $0 &- UInt8(ascii: "0") < 10 || $0 == UInt8(ascii: "-") }
    }

    /// The names of the groups, as spelled in JSON.
    public static let groupNames: [String] = [
        "leakage", "temperature", "arc", "overload", "short_circuit", "voltage", "power", "reporting", "remote",
    ]
}

/// What a breaker does when a monitored level is reached and held: raise an alarm, or open.
public enum ProtectionAction: String, Sendable, Codable, CaseIterable, Hashable {
    case alarm
    case trip
}

/// The insulation of the protected cable, which fixes its maximum conductor temperature.
public enum CableInsulation: String, Sendable, Codable, CaseIterable, Hashable {
    case pvc70 = "PVC70"
    case xlpe90 = "XLPE90"

    /// The cable's maximum continuous conductor temperature (°C).
    public var ratingC: Double {
        switch self {
        case .pvc70: 70
        case .xlpe90: 90
        }
    }
}
