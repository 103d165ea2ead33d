/// The body of `POST /v1/register` (spec/device-api.md).
public struct RegistrationRequest: Sendable, Equatable, Codable {
    public struct ProfileRef: Sendable, Equatable, Codable {
        public var id: String
        public var version: Int
        public init(id: String, version: Int) {
            self.id = id
            self.version = version
        }
    }

    public var model: String
    public var firmware: String
    public var hardware: String?
    public var profile: ProfileRef?
    public var capabilities: [String]
    public var lifetime: Int

    public init(
        model: String, firmware: String, hardware: String? = nil, profile: ProfileRef? = nil,
        capabilities: [String] = [], lifetime: Int = Registration.defaultLifetime
    ) {
        self.model = model
        self.firmware = firmware
        self.hardware = hardware
        self.profile = profile
        self.capabilities = capabilities
        self.lifetime = lifetime
    }

    enum CodingKeys: String, CodingKey {
        case model, firmware = "fw", hardware = "hw", profile, capabilities = "caps", lifetime
    }
}
