import AdminAPIModel
import DeviceWire
import FleetDomain
import FleetServices
import Foundation
import Hummingbird

/// `/api/v1/profiles…`: threshold profiles, their versions, assignments and rollout status.
struct ProfileHandlers: Sendable {
    let store: any FleetStore
    let profiles: ProfileService
    /// The instant progress is judged at (pending or stale): injected, never the wall clock read here.
    let clock: @Sendable () -> Date
    let audit: AuditTrail

    /// Profile documents are small; anything larger is not a profile.
    static let maxDocumentBytes = 64 * 1024
    static let defaultStaleHeartbeats = 3

    /// `GET /api/v1/profiles`: the latest version of each, with what it is assigned to.
    func list(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let assignments = try await store.profileAssignments()
        let items = try await store.latestProfiles().map { stored in
            ProfileSummary(stored, assignedTo: assignments.filter { $0.profileID == stored.id }.map(\.target.description))
        }
        return try .json(ProfileList(profiles: items), request: request, context: context)
    }

    /// `POST /api/v1/profiles` with a profile document: 201 with the new version, 200 if unchanged.
    func push(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let token = context.token else { throw Problem.unauthorized("missing bearer token") }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxDocumentBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem.contentTooLarge(limit: Self.maxDocumentBytes)
        }
        let outcome: ProfileSaveOutcome
        do {
            outcome = try await profiles.push(Array(body.readableBytesView), source: "api \(token.name)")
        } catch let rejection as ProfileRejection {
            throw Problem(profile: rejection)
        }
        let stored = outcome.stored
        if case .created = outcome {
            context.logger.notice("pushed a profile version", metadata: [
                "profile": "\(stored.id)", "version": "\(stored.version)", "by": "\(token.name)",
            ])
            await audit.record(context, action: "profile.push", target: "profile:\(stored.id)", detail: ["version": "\(stored.version)"])
        }
        let created = if case .created = outcome { true } else { false }
        return try .json(ProfileRepresentation(stored, changed: created), status: created ? .created : .ok,
                         headers: [.location: "/api/v1/profiles/\(stored.id)?version=\(stored.version)"],
                         request: request, context: context)
    }

    /// `GET /api/v1/profiles/{id}?version=`: one version (the latest by default).
    func show(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let id = try Identifier.profile(context.parameters.get("id") ?? "")
        let version = try Self.version(request, "version")
        guard let stored = try await store.profile(id, version: version) else {
            throw Problem.notFound(version.map { "profile \(id) has no version \($0)" } ?? "no profile \(id)")
        }
        return try .json(ProfileRepresentation(stored), request: request, context: context)
    }

    /// `GET /api/v1/profiles/{id}/versions`: every version, oldest first.
    func versions(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let id = try Identifier.profile(context.parameters.get("id") ?? "")
        let versions = try await store.profileVersions(id)
        guard !versions.isEmpty else { throw Problem.notFound("no profile \(id)") }
        return try .json(ProfileVersionList(versions: versions.map { ProfileSummary($0, assignedTo: nil) }),
                         request: request, context: context)
    }

    /// `GET /api/v1/profiles/{id}/diff?from=V1&to=V2`: the fields that changed.
    func diff(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let id = try Identifier.profile(context.parameters.get("id") ?? "")
        guard let from = try Self.version(request, "from"), let to = try Self.version(request, "to") else {
            throw Problem.validation(field: "from", "from and to (version numbers) are required")
        }
        guard let old = try await store.profile(id, version: from) else { throw Problem.notFound("profile \(id) has no version \(from)") }
        guard let new = try await store.profile(id, version: to) else { throw Problem.notFound("profile \(id) has no version \(to)") }
        let changes = ProfileDiff(from: old.profile, to: new.profile).changes.map {
            DiffRepresentation.Change(field: $0.field, old: $0.old ?? "(absent)", new: $0.new ?? "(absent)")
        }
        return try .json(DiffRepresentation(id: id, from: from, to: to, changes: changes), request: request, context: context)
    }

    /// `GET /api/v1/profile-assignments`.
    func assignments(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let items = try await store.profileAssignments().map(ProfileAssignmentRepresentation.init)
        return try .json(AssignmentList(assignments: items), request: request, context: context)
    }

    /// `PUT /api/v1/profile-assignments` `{"profile", "device"|"site"|"category"}`.
    func assign(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let token = context.token else { throw Problem.unauthorized("missing bearer token") }
        let body = try await JSONBody.decode(AssignmentRequest.self, from: request, context: context)
        let profileID = try Identifier.profile(body.profile, field: "profile")
        let target = try Self.target(body)
        let outcome = try await domain { try await profiles.assign(profileID, to: target, by: token.name) }
        context.logger.notice("assigned a profile", metadata: [
            "profile": "\(profileID)", "target": "\(target)", "devices": "\(outcome.devicesChanged)", "by": "\(token.name)",
        ])
        await audit.record(context, action: "profile.assign", target: "profile:\(profileID)", device: Self.serial(of: target),
                           detail: ["assigned_to": "\(target.kind.rawValue):\(target.key)", "devices_changed": "\(outcome.devicesChanged)"])
        return try .json(outcome, request: request, context: context)
    }

    /// `DELETE /api/v1/profile-assignments?device=|site=|category=`.
    func unassign(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let token = context.token else { throw Problem.unauthorized("missing bearer token") }
        let query = request.uri.queryParameters
        let given = AssignmentRequest(
            profile: "", device: query["device"].map(String.init), site: query["site"].map(String.init),
            category: query["category"].map(String.init))
        let target = try Self.target(given)
        let outcome = try await domain { try await profiles.unassign(target) }
        context.logger.notice("removed a profile assignment", metadata: ["target": "\(target)", "by": "\(token.name)"])
        await audit.record(context, action: "profile.unassign", target: "\(target.kind.rawValue):\(target.key)",
                           device: Self.serial(of: target), detail: ["devices_changed": "\(outcome.devicesChanged)"])
        return try .json(outcome, request: request, context: context)
    }

    /// `GET /api/v1/profile-status?by=profile|site|county|category&profile=ID&stale_after=3`.
    func status(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var errors: [Problem.FieldError] = []
        let byText = query["by"].map(String.init) ?? "profile"
        let grouping = ProfileStatusGrouping(rawValue: byText)
        if grouping == nil {
            errors.append(.init(field: "by", message: "by must be one of: \(ProfileStatusGrouping.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        var stale = Self.defaultStaleHeartbeats
        if let text = query["stale_after"] {
            if let value = Int(text), (1...100).contains(value) { stale = value } else {
                errors.append(.init(field: "stale_after", message: "stale_after must be an integer from 1 to 100 (heartbeats)"))
            }
        }
        if !errors.isEmpty { throw Problem.validation(errors) }
        let profileID = query["profile"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let report = try await profiles.status(grouping: grouping ?? .profile, profileID: profileID, staleAfterHeartbeats: stale)
        return try .json(report, request: request, context: context)
    }

    /// `GET /api/v1/devices/{serial}/profile`: desired, refused, reported and progress of one device.
    func device(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let text = context.parameters.get("serial") ?? ""
        guard let serial = Serial(text) else { throw Problem.validation(field: "serial", "serial must match \(Serial.rule)") }
        guard try await store.device(serial) != nil else { throw Problem.notFound("no device \(serial)") }
        guard let state = try await store.deviceProfileState(serial) else {
            throw Problem.notFound("device \(serial) has no profile yet (precedence runs within a second of a change)")
        }
        return try .json(DeviceProfileRepresentation(state, staleAfter: Self.defaultStaleHeartbeats, now: clock()),
                         request: request, context: context)
    }

    // MARK: - Helpers

    private static func version(_ request: Request, _ name: String) throws -> Int? {
        guard let text = request.uri.queryParameters[name[...]], !text.isEmpty else { return nil }
        guard let version = Int(text), version >= 1 else {
            throw Problem.validation(field: name, "\(name) must be a version number ≥ 1")
        }
        return version
    }

    /// Exactly one of `device`, `site`, `category`, valid for its kind.
    private static func target(_ body: AssignmentRequest) throws -> ProfileTarget {
        let given = body.targets
        guard given.count == 1, let (kind, key) = given.first else {
            throw Problem.validation(field: "target", "give exactly one of device, site, category (got \(given.count))")
        }
        guard let target = ProfileTarget(kind: kind, key: key) else {
            let rule = switch kind {
            case .device: "a serial matching \(Serial.rule)"
            case .site: "a site id matching \(Site.idRule)"
            case .category: "one of: \(Site.categoryList)"
            }
            throw Problem.validation(field: kind.rawValue, "\(kind.rawValue) must be \(rule)")
        }
        return target
    }

    /// The serial of a device assignment, so the device's audit history shows it.
    private static func serial(of target: ProfileTarget) -> String? {
        if case .device(let serial) = target { serial.rawValue } else { nil }
    }

    private func domain<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as DomainError {
            throw Problem(domain: error)
        }
    }
}
