import Foundation

/// The profile a device should run, and how it was chosen.
public struct DesiredProfile: Sendable, Equatable, Hashable, Codable {
    public var profileID: String
    public var version: Int
    /// The kind of assignment that chose it; nil for the fleet's `default`.
    public var via: ProfileTarget.Kind?
    /// `reporting.heartbeat_s` of that version, which the device is told at registration.
    public var heartbeatSeconds: Int

    private enum CodingKeys: String, CodingKey {
        case profileID = "profile_id", version, via, heartbeatSeconds = "heartbeat_s"
    }

    public init(profileID: String, version: Int, via: ProfileTarget.Kind?, heartbeatSeconds: Int) {
        self.profileID = profileID
        self.version = version
        self.via = via
        self.heartbeatSeconds = heartbeatSeconds
    }
}

/// A profile that precedence would have chosen for a device but that its model cannot carry out: it is
/// never pushed to that device (spec: "refused for that device with a message").
public struct ProfileRefusal: Sendable, Equatable, Hashable, Codable {
    public var profileID: String
    public var version: Int
    /// `ProfileViolation.message`s, e.g. `arc.action: trip needs capability arc_extinguish, …`.
    public var reasons: [String]

    private enum CodingKeys: String, CodingKey { case profileID = "profile_id", version, reasons }

    public init(profileID: String, version: Int, reasons: [String]) {
        self.profileID = profileID
        self.version = version
        self.reasons = reasons
    }
}

/// The outcome of precedence for one device: the first profile in precedence order its model can carry
/// out, and every more specific one it could not.
public struct ProfileResolution: Sendable, Equatable, Hashable, Codable {
    /// Nil when no profile in the chain fits the model (the device keeps what it runs, and status says why).
    public var desired: DesiredProfile?
    public var refusals: [ProfileRefusal]

    public init(desired: DesiredProfile?, refusals: [ProfileRefusal] = []) {
        self.desired = desired
        self.refusals = refusals
    }
}

/// What precedence needs to know about one device.
public struct ProfileDeviceFacts: Sendable, Equatable {
    public var serial: Serial
    public var model: String
    public var state: DeviceState
    public var siteID: String?
    public var category: SiteCategory?
    public var county: String?
    /// The certified model's capabilities, or what the device declared if its model is not in the registry.
    public var capabilities: Set<String>
    public var registeredAt: Date?

    public init(
        serial: Serial, model: String, state: DeviceState, siteID: String? = nil, category: SiteCategory? = nil,
        county: String? = nil, capabilities: Set<String>, registeredAt: Date? = nil
    ) {
        self.serial = serial
        self.model = model
        self.state = state
        self.siteID = siteID
        self.category = category
        self.county = county
        self.capabilities = capabilities
        self.registeredAt = registeredAt
    }
}

/// The latest version of every profile and every assignment: everything precedence (spec/profiles.md)
/// decides from. Pure, so the rule is tested without a store.
public struct ProfileCatalog: Sendable {
    public static let defaultID = "default"

    public private(set) var latest: [String: ThresholdProfile]
    public private(set) var assignments: [ProfileTarget: String]

    public init(latest: [ThresholdProfile], assignments: [ProfileAssignment]) {
        self.latest = Dictionary(latest.map { ($0.id, $0) }, uniquingKeysWith: { first, second in
            (first.version ?? 0) >= (second.version ?? 0) ? first : second
        })
        self.assignments = Dictionary(assignments.map { ($0.target, $0.profileID) }, uniquingKeysWith: { _, last in last })
    }

    /// The candidates in precedence order: assigned to the device, to its site, to its site's category,
    /// then `default`. An id assigned at several levels is tried once, at its most specific level.
    public func chain(for device: ProfileDeviceFacts) -> [(id: String, via: ProfileTarget.Kind?)] {
        var chain: [(id: String, via: ProfileTarget.Kind?)] = []
        func add(_ id: String?, _ via: ProfileTarget.Kind?) {
            guard let id, !chain.contains(where: { $0.id == id }) else { return }
            chain.append((id, via))
        }
        add(assignments[.device(device.serial)], .device)
        if let site = device.siteID { add(assignments[.site(site)], .site) }
        if let category = device.category { add(assignments[.category(category)], .category) }
        add(Self.defaultID, nil)
        return chain
    }

    /// The first profile of the chain that exists and that the device's model can carry out.
    public func resolve(_ device: ProfileDeviceFacts) -> ProfileResolution {
        var refusals: [ProfileRefusal] = []
        for candidate in chain(for: device) {
            guard let profile = latest[candidate.id], let version = profile.version else { continue }
            let unmet = ProfileValidator.check(profile, capabilities: device.capabilities)
            if unmet.isEmpty {
                let desired = DesiredProfile(
                    profileID: profile.id, version: version, via: candidate.via,
                    heartbeatSeconds: profile.reporting.heartbeatS)
                return ProfileResolution(desired: desired, refusals: refusals)
            }
            refusals.append(ProfileRefusal(profileID: profile.id, version: version, reasons: unmet.map(\.message)))
        }
        return ProfileResolution(desired: nil, refusals: refusals)
    }
}
