import FleetDomain

/// `PUT /api/v1/profile-assignments`: `{"profile", "device"|"site"|"category"}`, exactly one target.
/// The target stays text so that a wrong one is reported with the rule it breaks.
public struct AssignmentRequest: Codable, Sendable, Equatable {
    public var profile: String
    public var device: String?
    public var site: String?
    public var category: String?

    public init(profile: String, device: String? = nil, site: String? = nil, category: String? = nil) {
        self.profile = profile
        self.device = device
        self.site = site
        self.category = category
    }

    /// The target named with `kind` (`device`, `site` or `category`).
    public init(profile: String, kind: ProfileTarget.Kind, key: String) {
        self.init(profile: profile)
        switch kind {
        case .device: device = key
        case .site: site = key
        case .category: category = key
        }
    }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let profile: String? = fields.required(.profile)
        device = fields.optional(.device)
        site = fields.optional(.site)
        category = fields.optional(.category)
        self.profile = try fields.complete(profile)
    }

    /// The targets given, as kind and key, in precedence order.
    public var targets: [(kind: ProfileTarget.Kind, key: String)] {
        [(ProfileTarget.Kind.device, device), (.site, site), (.category, category)].compactMap { kind, key in
            key.map { (kind, $0) }
        }
    }
}
