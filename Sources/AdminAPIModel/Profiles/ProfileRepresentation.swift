import FleetDomain
import Foundation

/// A profile version as the API shows it: the document (strict schema, with its version) and where it
/// came from.
public struct ProfileRepresentation: Codable, Sendable, Equatable {
    public var profile: ThresholdProfile
    public var createdAt: Date
    public var source: String
    /// On a push: whether a new version was stored.
    public var changed: Bool?

    public init(_ stored: StoredProfile, changed: Bool? = nil) {
        profile = stored.profile
        createdAt = stored.createdAt
        source = stored.source
        self.changed = changed
    }

    enum CodingKeys: String, CodingKey {
        case profile, createdAt = "created_at", source, changed
    }
}

/// A line of `GET /api/v1/profiles` and of a profile's version list.
public struct ProfileSummary: Codable, Sendable, Equatable {
    public var id: String
    public var version: Int
    public var siteCategory: String
    public var createdAt: Date
    public var source: String
    /// In the profile list only: the targets it is assigned to.
    public var assignedTo: [String]?

    public init(_ stored: StoredProfile, assignedTo: [String]?) {
        id = stored.id
        version = stored.version
        siteCategory = stored.profile.siteCategory.rawValue
        createdAt = stored.createdAt
        source = stored.source
        self.assignedTo = assignedTo
    }

    enum CodingKeys: String, CodingKey {
        case id, version, siteCategory = "site_category", createdAt = "created_at", source, assignedTo = "assigned_to"
    }
}

/// `GET /api/v1/profiles`.
public struct ProfileList: Codable, Sendable, Equatable {
    public var profiles: [ProfileSummary]

    public init(profiles: [ProfileSummary]) { self.profiles = profiles }
}

/// `GET /api/v1/profiles/{id}/versions`, oldest first.
public struct ProfileVersionList: Codable, Sendable, Equatable {
    public var versions: [ProfileSummary]

    public init(versions: [ProfileSummary]) { self.versions = versions }
}

public struct ProfileAssignmentRepresentation: Codable, Sendable, Equatable {
    public var targetKind: ProfileTarget.Kind
    public var target: String
    public var profile: String
    public var assignedAt: Date
    public var assignedBy: String

    public init(_ assignment: ProfileAssignment) {
        targetKind = assignment.target.kind
        target = assignment.target.key
        profile = assignment.profileID
        assignedAt = assignment.assignedAt
        assignedBy = assignment.assignedBy
    }

    enum CodingKeys: String, CodingKey {
        case targetKind = "target_kind", target, profile, assignedAt = "assigned_at", assignedBy = "assigned_by"
    }
}

/// `GET /api/v1/profile-assignments`.
public struct AssignmentList: Codable, Sendable, Equatable {
    public var assignments: [ProfileAssignmentRepresentation]

    public init(assignments: [ProfileAssignmentRepresentation]) { self.assignments = assignments }
}

/// `GET /api/v1/profiles/{id}/diff`: the fields that changed, `(absent)` where a side has none.
public struct DiffRepresentation: Codable, Sendable, Equatable {
    public struct Change: Codable, Sendable, Equatable {
        public var field: String
        public var old: String
        public var new: String

        public init(field: String, old: String, new: String) {
            self.field = field
            self.old = old
            self.new = new
        }
    }

    public var id: String
    public var from: Int
    public var to: Int
    public var changes: [Change]

    public init(id: String, from: Int, to: Int, changes: [Change]) {
        self.id = id
        self.from = from
        self.to = to
        self.changes = changes
    }
}

/// `GET /api/v1/devices/{serial}/profile`: desired, refused, reported and progress of one device.
public struct DeviceProfileRepresentation: Codable, Sendable, Equatable {
    public var serial: String
    public var desired: DesiredProfile?
    public var refusals: [ProfileRefusal]
    public var desiredSince: Date?
    public var report: ProfileReport?
    public var reportedAt: Date?
    public var running: RegistrationRequest.ProfileRef?
    public var progress: ProfileProgress

    public init(_ state: DeviceProfileState, staleAfter: Int, now: Date) {
        serial = state.serial.rawValue
        desired = state.resolution.desired
        refusals = state.resolution.refusals
        desiredSince = state.desiredSince
        report = state.report
        reportedAt = state.reportedAt
        running = state.running
        progress = state.progress(at: now, staleAfterHeartbeats: staleAfter)
    }

    enum CodingKeys: String, CodingKey {
        case serial, desired, refusals, desiredSince = "desired_since", report, reportedAt = "reported_at", running, progress
    }
}
