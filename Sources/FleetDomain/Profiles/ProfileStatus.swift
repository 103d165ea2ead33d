import Foundation

/// Where one device stands with its profile: what it should run since when, and what it last said.
public struct DeviceProfileState: Sendable, Equatable {
    public var serial: Serial
    public var resolution: ProfileResolution
    /// When the desired profile last changed (the push that a confirmation is waited for).
    public var desiredSince: Date?
    /// The device's last `PUT /v1/profile/applied`.
    public var report: ProfileReport?
    public var reportedAt: Date?
    /// The profile the device said it runs when it last registered.
    public var running: RegistrationRequest.ProfileRef?

    public init(
        serial: Serial, resolution: ProfileResolution, desiredSince: Date? = nil, report: ProfileReport? = nil,
        reportedAt: Date? = nil, running: RegistrationRequest.ProfileRef? = nil
    ) {
        self.serial = serial
        self.resolution = resolution
        self.desiredSince = desiredSince
        self.report = report
        self.reportedAt = reportedAt
        self.running = running
    }
}

/// How far one device is with its desired profile.
public enum ProfileProgress: String, Sendable, Codable, CaseIterable {
    /// It confirmed the desired version (`applied`, or registered saying it runs it).
    case applied
    /// Not confirmed yet, within `staleAfterHeartbeats` heartbeats of the push.
    case pending
    /// Not confirmed after `staleAfterHeartbeats` heartbeats.
    case stale
    /// It reported the desired version `rejected` (with a reason).
    case rejected
    /// No profile of its precedence chain fits its model: nothing is pushed.
    case refused
}

extension DeviceProfileState {
    /// The device's progress at `now`; a device is stale once `staleAfterHeartbeats` of its desired
    /// profile's heartbeats passed since the push without a confirmation.
    public func progress(at now: Date, staleAfterHeartbeats: Int) -> ProfileProgress {
        guard let desired = resolution.desired else { return .refused }
        if let report, report.id == desired.profileID, report.version == desired.version {
            return report.result == .applied ? .applied : .rejected
        }
        if let running, running.id == desired.profileID, running.version == desired.version { return .applied }
        let since = desiredSince ?? now
        let patience = Double(staleAfterHeartbeats * desired.heartbeatSeconds)
        return now.timeIntervalSince(since) > patience ? .stale : .pending
    }
}

/// How profile status is grouped.
public enum ProfileStatusGrouping: String, Sendable, Codable, CaseIterable {
    /// By desired profile and version.
    case profile
    case site, county, category
}

/// Per group: how many devices should run which profile, and how many confirmed, are pending, are stale,
/// rejected it or cannot run any; plus the devices that need a look (rejected, stale, refused).
public struct ProfileStatusReport: Sendable, Equatable, Codable {
    public struct Row: Sendable, Equatable, Codable {
        /// `commerce@7` when grouped by profile; a site id, county code or category key otherwise
        /// (`-` for devices without a site).
        public var group: String
        public var devices: Int
        public var counts: [String: Int]

        public init(group: String) {
            self.group = group
            self.devices = 0
            self.counts = Dictionary(uniqueKeysWithValues: ProfileProgress.allCases.map { ($0.rawValue, 0) })
        }
    }

    /// A device that needs attention, with why.
    public struct Attention: Sendable, Equatable, Codable {
        public var serial: String
        public var progress: ProfileProgress
        public var profile: String?
        public var reason: String?
        public var site: String?
    }

    public var grouping: ProfileStatusGrouping
    public var staleAfterHeartbeats: Int
    public var rows: [Row]
    /// Rejected, stale and refused devices (and devices on a fallback because a profile was refused for
    /// their model), at most `attentionLimit`.
    public var attention: [Attention]
    public var attentionTruncated: Bool

    public static let attentionLimit = 200

    private enum CodingKeys: String, CodingKey {
        case grouping, staleAfterHeartbeats = "stale_after_heartbeats", rows, attention, attentionTruncated = "attention_truncated"
    }

    /// Builds the report from every device's state. Devices that never registered, and barred ones, are
    /// left out: there is nothing to confirm yet, or nothing will ever be.
    public init(
        states: [DeviceProfileState], facts: [Serial: ProfileDeviceFacts], grouping: ProfileStatusGrouping,
        profileID: String? = nil, staleAfterHeartbeats: Int, now: Date
    ) {
        self.grouping = grouping
        self.staleAfterHeartbeats = staleAfterHeartbeats
        var rows: [String: Row] = [:]
        var attention: [Attention] = []
        var truncated = false
        for state in states.sorted(by: { $0.serial < $1.serial }) {
            guard let device = facts[state.serial], device.registeredAt != nil, !device.state.isBarred else { continue }
            if let profileID, state.resolution.desired?.profileID != profileID,
               !state.resolution.refusals.contains(where: { $0.profileID == profileID }) { continue }
            let progress = state.progress(at: now, staleAfterHeartbeats: staleAfterHeartbeats)
            let key = Self.groupKey(grouping, state, device)
            rows[key, default: Row(group: key)].devices += 1
            rows[key, default: Row(group: key)].counts[progress.rawValue, default: 0] += 1
            if let note = Self.attention(state, progress, device) {
                if attention.count < Self.attentionLimit { attention.append(note) } else { truncated = true }
            }
        }
        self.rows = rows.values.sorted { $0.group < $1.group }
        self.attention = attention
        self.attentionTruncated = truncated
    }

    private static func groupKey(_ grouping: ProfileStatusGrouping, _ state: DeviceProfileState, _ device: ProfileDeviceFacts) -> String {
        switch grouping {
        case .profile:
            guard let desired = state.resolution.desired else { return "(none fits)" }
            return "\(desired.profileID)@\(desired.version)"
        case .site: return device.siteID ?? "-"
        case .county: return device.county ?? "-"
        case .category: return device.category?.rawValue ?? "-"
        }
    }

    private static func attention(_ state: DeviceProfileState, _ progress: ProfileProgress, _ device: ProfileDeviceFacts) -> Attention? {
        let desired = state.resolution.desired.map { "\($0.profileID)@\($0.version)" }
        let refused = state.resolution.refusals.map { "\($0.profileID)@\($0.version) refused for model \(device.model): \($0.reasons.joined(separator: "; "))" }
        switch progress {
        case .rejected:
            return Attention(serial: device.serial.rawValue, progress: progress, profile: desired, reason: state.report?.reason, site: device.siteID)
        case .refused, .stale:
            let why = progress == .stale ? "not confirmed" : "no profile fits"
            return Attention(serial: device.serial.rawValue, progress: progress, profile: desired,
                             reason: ([why] + refused).joined(separator: "; "), site: device.siteID)
        case .applied, .pending:
            guard !refused.isEmpty else { return nil }
            return Attention(serial: device.serial.rawValue, progress: progress, profile: desired,
                             reason: refused.joined(separator: "; "), site: device.siteID)
        }
    }
}
