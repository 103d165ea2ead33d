import FleetDomain
import Foundation

/// A profile version as the API shows it: the document (strict schema, with its version) and where it
/// came from.
struct ProfileRepresentation: Encodable, Sendable {
    let profile: ThresholdProfile
    let createdAt: Date
    let source: String
    /// On a push: whether a new version was stored.
    let changed: Bool?

    init(_ stored: StoredProfile, changed: Bool? = nil) {
        profile = stored.profile
        createdAt = stored.createdAt
        source = stored.source
        self.changed = changed
    }

    private enum CodingKeys: String, CodingKey {
        case profile, createdAt = "created_at", source, changed
    }
}

/// A line of `GET /api/v1/profiles` and of a profile's version list.
struct ProfileSummary: Encodable, Sendable {
    let id: String
    let version: Int
    let siteCategory: String
    let createdAt: Date
    let source: String
    let assignedTo: [String]?

    init(_ stored: StoredProfile, assignedTo: [String]?) {
        id = stored.id
        version = stored.version
        siteCategory = stored.profile.siteCategory.rawValue
        createdAt = stored.createdAt
        source = stored.source
        self.assignedTo = assignedTo
    }

    private enum CodingKeys: String, CodingKey {
        case id, version, siteCategory = "site_category", createdAt = "created_at", source, assignedTo = "assigned_to"
    }
}

struct ProfileAssignmentRepresentation: Encodable, Sendable {
    let targetKind: String
    let target: String
    let profile: String
    let assignedAt: Date
    let assignedBy: String

    init(_ assignment: ProfileAssignment) {
        targetKind = assignment.target.kind.rawValue
        target = assignment.target.key
        profile = assignment.profileID
        assignedAt = assignment.assignedAt
        assignedBy = assignment.assignedBy
    }

    private enum CodingKeys: String, CodingKey {
        case targetKind = "target_kind", target, profile, assignedAt = "assigned_at", assignedBy = "assigned_by"
    }
}

struct DiffRepresentation: Encodable, Sendable {
    let id: String
    let from: Int
    let to: Int
    let changes: [[String: String]]
}

struct DeviceProfileRepresentation: Encodable, Sendable {
    let serial: String
    let desired: DesiredProfile?
    let refusals: [ProfileRefusal]
    let desiredSince: Date?
    let report: ProfileReport?
    let reportedAt: Date?
    let running: RegistrationRequest.ProfileRef?
    let progress: ProfileProgress

    init(_ state: DeviceProfileState, staleAfter: Int, now: Date) {
        serial = state.serial.rawValue
        desired = state.resolution.desired
        refusals = state.resolution.refusals
        desiredSince = state.desiredSince
        report = state.report
        reportedAt = state.reportedAt
        running = state.running
        progress = state.progress(at: now, staleAfterHeartbeats: staleAfter)
    }

    private enum CodingKeys: String, CodingKey {
        case serial, desired, refusals, desiredSince = "desired_since", report, reportedAt = "reported_at", running, progress
    }
}
