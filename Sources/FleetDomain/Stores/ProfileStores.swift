import Foundation

/// Threshold profiles: immutable versions, assignments, and each device's desired and reported profile.
/// Device reports (`PUT /v1/profile/applied`) arrive through `IngestStore.apply` like every acknowledged
/// device message.
public protocol ProfileStore: Sendable {
    /// Stores `profile` (its `version` ignored) as a new version of its id unless the latest version has
    /// the same content. Versions are numbered fleet-wide (1, 2, 3, … across all profiles), so a version
    /// alone names one document: the device API's ETag and `profile_version` carry just the number.
    func saveProfile(_ profile: ThresholdProfile, source: String, at: Date) async throws -> ProfileSaveOutcome
    /// The latest version of every profile, by id.
    func latestProfiles() async throws -> [StoredProfile]
    /// One version of a profile, or its latest when `version` is nil.
    func profile(_ id: String, version: Int?) async throws -> StoredProfile?
    /// Every version of a profile, oldest first.
    func profileVersions(_ id: String) async throws -> [StoredProfile]

    /// Sets (or replaces) the profile assigned to a target.
    func setProfileAssignment(_ assignment: ProfileAssignment) async throws
    /// Removes the assignment of a target, returning it (nil if there was none).
    func removeProfileAssignment(_ target: ProfileTarget) async throws -> ProfileAssignment?
    func profileAssignments() async throws -> [ProfileAssignment]

    /// What precedence needs about every device (model capabilities from the registry, site, category).
    func profileFacts() async throws -> [ProfileDeviceFacts]
    /// Every device's profile state (devices with no row yet are absent).
    func deviceProfileStates() async throws -> [DeviceProfileState]
    /// One device's profile state, nil if precedence has not run for it yet.
    func deviceProfileState(_ serial: Serial) async throws -> DeviceProfileState?
    /// Records new resolutions in one transaction; a device whose desired profile changed gets
    /// `desiredSince = at` and its heartbeat from the new profile.
    func updateProfileResolutions(_ changes: [Serial: ProfileResolution], at: Date) async throws
}
