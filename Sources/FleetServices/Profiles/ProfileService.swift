import DeviceWire
import FleetDomain
import Foundation

/// Threshold profiles as a service: loads and versions documents, assigns them, re-runs precedence for the
/// whole fleet after every change, records the outcome in the store and tells the device plane what to push.
///
/// Changes run one at a time, start to end (`serially`): an actor alone would not do, as it lets another
/// call in at every `await`, and two admins assigning at once must not interleave their recomputations and
/// publish an older outcome last.
public actor ProfileService {
    public typealias Store = ProfileStore & DeviceStore & SiteStore

    let store: any Store
    /// When versions are stored, assignments made and staleness judged.
    let clock: any WallClock
    /// Tells the device plane the bodies of the latest versions and the resolutions that changed; returns
    /// once the device plane holds them, so an assignment that returned is what devices get from then on.
    let publish: @Sendable (ProfilePublication) async -> Void
    /// The change running or last run; the next one waits for it.
    private var lastChange: Task<Void, Never> = Task {}

    public init(store: any Store, clock: any WallClock,
                publish: @escaping @Sendable (ProfilePublication) async -> Void) {
        self.store = store
        self.clock = clock
        self.publish = publish
    }

    /// Reads, checks and stores a profile document. Refused whole, with every problem listed, when it
    /// does not decode or breaks a range or rule; a document equal to the latest version changes nothing.
    public func push(_ body: [UInt8], source: String) async throws -> ProfileSaveOutcome {
        let profile = try Self.check(body)
        return try await serially { service in
            let outcome = try await service.store.saveProfile(profile, source: source, at: service.clock.now())
            if case .created = outcome { try await service.recomputeNow() }
            return outcome
        }
    }

    /// A document's profile, or `ProfileRejection` listing every problem (offline: used by `profile validate`).
    public static func check(_ body: [UInt8]) throws -> ThresholdProfile {
        let profile: ThresholdProfile
        do {
            profile = try ProfileDecoder.decode(body)
        } catch {
            throw ProfileRejection(id: error.id, issues: error.issues, violations: [])
        }
        let violations = ProfileValidator.validate(profile)
        guard violations.isEmpty else { throw ProfileRejection(id: profile.id, issues: [], violations: violations) }
        return profile
    }

    /// Assigns a stored profile to a target (replacing what it had) and pushes the outcome.
    public func assign(_ profileID: String, to target: ProfileTarget, by actor: String) async throws -> AssignmentOutcome {
        try await serially { service in
            guard try await service.store.profile(profileID, version: nil) != nil else {
                throw DomainError(.notFound, "no profile \(profileID)")
            }
            try await service.requireExists(target)
            try await service.store.setProfileAssignment(ProfileAssignment(
                target: target, profileID: profileID, assignedAt: service.clock.now(), assignedBy: actor))
            return try await service.outcome(of: target, profileID: profileID)
        }
    }

    /// Removes a target's assignment; its devices fall back along the precedence chain.
    public func unassign(_ target: ProfileTarget) async throws -> AssignmentOutcome {
        try await serially { service in
            guard let removed = try await service.store.removeProfileAssignment(target) else {
                throw DomainError(.notFound, "nothing is assigned to \(target)")
            }
            return try await service.outcome(of: target, profileID: removed.profileID)
        }
    }

    /// Re-runs precedence for every device, stores the resolutions that changed and publishes them.
    @discardableResult
    public func recompute() async throws -> [Serial: ProfileResolution] {
        try await serially { service in try await service.recomputeNow() }
    }

    /// Runs `change` after every change queued before it has finished (including its `await`s).
    func serially<T: Sendable>(_ change: @escaping @Sendable (isolated ProfileService) async throws -> T) async throws -> T {
        let previous = lastChange
        let task = Task { () async throws -> T in
            await previous.value
            return try await change(self)
        }
        lastChange = Task { _ = try? await task.value }
        return try await task.value
    }

    /// `recompute` inside a change that is already running serially.
    @discardableResult
    func recomputeNow() async throws -> [Serial: ProfileResolution] {
        let catalog = try await catalog()
        let facts = try await store.profileFacts()
        let current = Dictionary(try await store.deviceProfileStates().map { ($0.serial, $0.resolution) },
                                 uniquingKeysWith: { first, _ in first })
        var changes: [Serial: ProfileResolution] = [:]
        for device in facts where !device.state.isBarred {
            let resolution = catalog.resolve(device)
            if current[device.serial] != resolution { changes[device.serial] = resolution }
        }
        if !changes.isEmpty { try await store.updateProfileResolutions(changes, at: clock.now()) }
        await publish(ProfilePublication(bodies: catalog.bodies(), fallback: catalog.fallback, desired: changes.mapValues(\.desired)))
        return changes
    }

    /// Everything the device plane needs at start: every latest body and every device's desired profile.
    public func fullPublication() async throws -> ProfilePublication {
        let catalog = try await catalog()
        var desired: [Serial: DesiredProfile?] = [:]
        for state in try await store.deviceProfileStates() { desired[state.serial] = state.resolution.desired }
        return ProfilePublication(bodies: catalog.bodies(), fallback: catalog.fallback, desired: desired)
    }

    /// Per profile, site, county or category: desired vs applied, pending, stale, rejected, refused.
    public func status(grouping: ProfileStatusGrouping, profileID: String?, staleAfterHeartbeats: Int) async throws -> ProfileStatusReport {
        let facts = Dictionary(try await store.profileFacts().map { ($0.serial, $0) }, uniquingKeysWith: { first, _ in first })
        return ProfileStatusReport(
            states: try await store.deviceProfileStates(), facts: facts, grouping: grouping, profileID: profileID,
            staleAfterHeartbeats: staleAfterHeartbeats, now: clock.now())
    }

    /// The latest versions and the assignments (every device's facts are read only where precedence runs).
    private func catalog() async throws -> ProfileCatalog {
        let latest = try await store.latestProfiles().map(\.profile)
        return ProfileCatalog(latest: latest, assignments: try await store.profileAssignments())
    }

    private func requireExists(_ target: ProfileTarget) async throws {
        switch target {
        case .device(let serial):
            guard try await store.device(serial) != nil else { throw DomainError(.notFound, "no device \(serial)") }
        case .site(let id):
            guard try await store.site(id) != nil else { throw DomainError(.notFound, "no site \(id)") }
        case .category:
            break
        }
    }

    private func outcome(of target: ProfileTarget, profileID: String) async throws -> AssignmentOutcome {
        let changes = try await recomputeNow()
        let refused = changes.compactMap { serial, resolution -> AssignmentOutcome.Refusal? in
            guard let refusal = resolution.refusals.first(where: { $0.profileID == profileID }) else { return nil }
            return AssignmentOutcome.Refusal(serial: serial.rawValue, reasons: refusal.reasons)
        }.sorted { $0.serial < $1.serial }
        return AssignmentOutcome(target: target, profileID: profileID, devicesChanged: changes.count, refused: refused)
    }
}

/// A profile document refused whole: every decoding problem, or every range and rule it breaks.
public struct ProfileRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var id: String?
    /// Type and structure problems (`leakage.alarm_mA: unknown field`).
    public var issues: [String]
    public var violations: [ProfileViolation]

    public init(id: String?, issues: [String], violations: [ProfileViolation]) {
        self.id = id
        self.issues = issues
        self.violations = violations
    }

    /// Every problem, one per line.
    public var lines: [String] { issues + violations.map(\.description) }
    public var description: String { lines.joined(separator: "; ") }
}

extension ProfileCatalog {
    /// The latest `default` profile as a desired profile.
    var fallback: DesiredProfile? {
        guard let profile = latest[Self.defaultID], let version = profile.version else { return nil }
        return DesiredProfile(profileID: profile.id, version: version, via: nil, heartbeatSeconds: profile.reporting.heartbeatS)
    }

    /// The device's copy (canonical JSON without the operators' text) of each latest version, by version.
    func bodies() -> [Int: [UInt8]] {
        var bodies: [Int: [UInt8]] = [:]
        for profile in latest.values {
            if let version = profile.version { bodies[version] = profile.jsonBytes(forDevice: true) }
        }
        return bodies
    }
}
