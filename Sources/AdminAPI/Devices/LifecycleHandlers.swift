import AdminAPIModel
import FleetDomain
import FleetServices
import Foundation
import Hummingbird

/// Revocation, decommissioning and bans (admin only). The device plane is told at once.
struct LifecycleHandlers: Sendable {
    let store: any FleetStore
    let services: RegistryServices
    let clock: @Sendable () -> Date
    let audit: AuditTrail

    /// `POST /api/v1/devices/{serial}/revoke` `{"reason"}`.
    func revoke(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        try await retire(.revoked, request, context)
    }

    /// `POST /api/v1/devices/{serial}/decommission` `{"reason"}`: history kept, its circuit freed.
    func decommission(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        try await retire(.decommissioned, request, context)
    }

    private func retire(_ state: DeviceState, _ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let token = context.token else { throw Problem.unauthorized("missing bearer token") }
        let serial = try InstallationHandlers.serial(context)
        let reason = try await JSONBody.decode(RetireRequest.self, from: request, context: context).reason
        if let issue = Retirement.reasonIssue(reason) { throw Problem(domain: .invalid([issue])) }
        guard let device = try await store.device(serial) else { throw Problem.notFound("no device with serial \(serial)") }
        if let refusal = Retirement.check(state, from: device) { throw refusal }
        let now = clock()
        guard let stored = try await store.retire(Retirement(serial: serial, state: state, reason: reason, by: token.name, at: now)) else {
            throw Problem.notFound("no device with serial \(serial)")
        }
        services.deviceChanged(stored)
        context.logger.notice("retired a device", metadata: ["serial": "\(serial)", "state": "\(state.rawValue)", "by": "\(token.name)"])
        await audit.record(context, action: state == .revoked ? "device.revoke" : "device.decommission", target: "device:\(serial)",
                           device: serial.rawValue, reason: reason)
        return try .json(RetiredDevice(device: DeviceRepresentation(stored, at: now)), request: request, context: context)
    }

    /// `POST /api/v1/bans` `{"kind":"ca"|"model","subject","name"?,"reason"}` → 201; 409 if already banned.
    /// A CA is banned by the SHA-256 fingerprint of its certificate (`subject`); `name` is only for people.
    func ban(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let token = context.token else { throw Problem.unauthorized("missing bearer token") }
        let body = try await JSONBody.decode(BanRequest.self, from: request, context: context)
        guard let kind = Ban.Kind(rawValue: body.kind) else {
            throw Problem.validation(field: "kind", "kind \(body.kind) is not one of: ca, model")
        }
        let (subject, reason) = (body.subject, body.reason)
        let ban = Ban(kind: kind, subject: subject, name: body.name, reason: reason, by: token.name, at: clock())
        let issues = ban.validate().map { $0.field == "model" ? FieldIssue("subject", $0.message) : $0 }
        if !issues.isEmpty { throw Problem(domain: .invalid(issues)) }
        do {
            try await store.insertBan(ban)
        } catch let error as StoreError where error.code == .duplicate {
            throw Problem.conflict(error.message)
        }
        await services.registryChanged()
        context.logger.notice("banned", metadata: ["kind": "\(kind.rawValue)", "subject": "\(subject)", "by": "\(token.name)"])
        await audit.record(context, action: "ban.add", target: "\(kind.rawValue):\(subject)", reason: reason,
                           detail: body.name.map { ["name": $0] } ?? [:])
        return try .json(BanRepresentation(ban), status: .created, request: request, context: context)
    }

    func bans(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        try .json(BanList(bans: try await store.bans().map(BanRepresentation.init)), request: request, context: context)
    }
}
