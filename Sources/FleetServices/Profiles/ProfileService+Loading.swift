import DeviceWire
import FleetDomain
import Foundation

/// A profile file as read from `Profiles/`.
public struct ProfileDocument: Sendable {
    /// The file name, e.g. `commerce.json`: its stem must be the profile's id.
    public var fileName: String
    public var bytes: [UInt8]

    public init(fileName: String, bytes: [UInt8]) {
        self.fileName = fileName
        self.bytes = bytes
    }

    /// The version's `source`: `file commerce.json`.
    var source: String { "file \(fileName)" }
}

/// Profile files that cannot be loaded: every problem of every file, so one start shows them all.
public struct ProfileLoadError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { "threshold profiles refused:\n  " + problems.joined(separator: "\n  ") }
}

extension ProfileService {
    /// Loads the files of `Profiles/` at start. All are checked first; one bad file refuses the whole set
    /// (a half-loaded set could move devices to profiles nobody meant them to run). A file becomes a new
    /// version when it differs from what that file last loaded, so a profile changed through the API
    /// since then is not overwritten by an unchanged file at every restart. Without any `default`, the
    /// spec's default column is stored as `default`.
    ///
    /// On a new fleet (no profile stored yet) each category profile is also assigned to its category, so
    /// installed devices run their category's profile from the start; after that, assignments change only
    /// by `profile assign` and `profile unassign`: editing or adding a file never moves devices by itself.
    public func load(_ documents: [ProfileDocument]) async throws -> [ProfileSaveOutcome] {
        try await serially { service in try await service.loadNow(documents) }
    }

    private func loadNow(_ documents: [ProfileDocument]) async throws -> [ProfileSaveOutcome] {
        let isNewFleet = try await store.latestProfiles().isEmpty
        var problems: [String] = []
        var checked: [(ProfileDocument, ThresholdProfile)] = []
        for document in documents.sorted(by: { $0.fileName < $1.fileName }) {
            do {
                let profile = try Self.check(document.bytes)
                let stem = document.fileName.hasSuffix(".json") ? String(document.fileName.dropLast(5)) : document.fileName
                if profile.id != stem {
                    problems.append("\(document.fileName): id \(profile.id) must equal the file name (\(stem).json)")
                } else {
                    checked.append((document, profile))
                }
            } catch let rejection as ProfileRejection {
                problems += rejection.lines.map { "\(document.fileName): \($0)" }
            }
        }
        guard problems.isEmpty else { throw ProfileLoadError(problems: problems) }
        var outcomes: [ProfileSaveOutcome] = []
        for (document, profile) in checked {
            let fromThisFile = try await store.profileVersions(profile.id).last { $0.source == document.source }
            if let fromThisFile, Self.sameContent(fromThisFile.profile, profile) {
                outcomes.append(.unchanged(fromThisFile))
                continue
            }
            outcomes.append(try await store.saveProfile(profile, source: document.source, at: clock.now()))
        }
        if try await store.profile(ProfileCatalog.defaultID, version: nil) == nil {
            outcomes.append(try await store.saveProfile(.factoryDefault, source: "built-in", at: clock.now()))
        }
        if isNewFleet {
            for (document, profile) in checked where profile.siteCategory != .default {
                try await store.setProfileAssignment(ProfileAssignment(
                    target: .category(profile.siteCategory), profileID: profile.id, assignedAt: clock.now(),
                    assignedBy: document.source))
            }
        }
        try await recomputeNow()
        return outcomes
    }

    static func sameContent(_ first: ThresholdProfile, _ second: ThresholdProfile) -> Bool {
        var first = first, second = second
        first.version = nil
        second.version = nil
        return first == second
    }
}
