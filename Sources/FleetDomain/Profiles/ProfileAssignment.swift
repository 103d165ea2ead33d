import Foundation

/// What a profile can be assigned to (spec/profiles.md, "Precedence"): one device, every device of a site,
/// or every device at sites of one category. Everything else runs the `default` profile.
public enum ProfileTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    case device(Serial)
    case site(String)
    case category(SiteCategory)

    public enum Kind: String, Sendable, Codable, CaseIterable, Comparable {
        // Declared most specific first: precedence order.
        case device, site, category

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var kind: Kind {
        switch self {
        case .device: .device
        case .site: .site
        case .category: .category
        }
    }

    /// The serial, site id or category key.
    public var key: String {
        switch self {
        case .device(let serial): serial.rawValue
        case .site(let id): id
        case .category(let category): category.rawValue
        }
    }

    /// Rebuilds a target from its kind and key, or nil if the key is not one of that kind.
    public init?(kind: Kind, key: String) {
        switch kind {
        case .device:
            guard let serial = Serial(key) else { return nil }
            self = .device(serial)
        case .site:
            guard Site.isValidID(key) else { return nil }
            self = .site(key)
        case .category:
            guard let category = SiteCategory(rawValue: key), category != .default else { return nil }
            self = .category(category)
        }
    }

    public var description: String { "\(kind.rawValue) \(key)" }

    // JSON: `{"kind":"category","key":"commerce"}`.
    private enum CodingKeys: String, CodingKey { case kind, key }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(Kind.self, forKey: .kind)
        let key = try container.decode(String.self, forKey: .key)
        guard let target = ProfileTarget(kind: kind, key: key) else {
            throw DecodingError.dataCorruptedError(forKey: .key, in: container, debugDescription: "not a \(kind.rawValue): \(key)")
        }
        self = target
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(key, forKey: .key)
    }
}

/// A profile assigned to a target, and who did it when (assignments are replaced, not versioned; the
/// audit of who changed what is in the admin API's log).
public struct ProfileAssignment: Sendable, Equatable, Codable {
    public var target: ProfileTarget
    public var profileID: String
    public var assignedAt: Date
    /// The token name of whoever assigned it.
    public var assignedBy: String

    public init(target: ProfileTarget, profileID: String, assignedAt: Date, assignedBy: String) {
        self.target = target
        self.profileID = profileID
        self.assignedAt = assignedAt
        self.assignedBy = assignedBy
    }
}

/// One stored version of a profile: immutable once written.
public struct StoredProfile: Sendable, Equatable {
    /// Carries its `version`.
    public var profile: ThresholdProfile
    public var createdAt: Date
    /// Where it came from: `file Profiles/commerce.json` or `api <token name>`.
    public var source: String

    public init(profile: ThresholdProfile, createdAt: Date, source: String) {
        self.profile = profile
        self.createdAt = createdAt
        self.source = source
    }

    public var id: String { profile.id }
    public var version: Int { profile.version ?? 0 }
}

/// What storing a profile document did.
public enum ProfileSaveOutcome: Sendable, Equatable {
    /// The content differed from the latest version (or the id was new): a new version.
    case created(StoredProfile)
    /// Same content as the latest version: nothing written.
    case unchanged(StoredProfile)

    public var stored: StoredProfile {
        switch self {
        case .created(let stored), .unchanged(let stored): stored
        }
    }
}
