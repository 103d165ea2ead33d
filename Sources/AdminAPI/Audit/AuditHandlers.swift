import AdminAPIModel
import FleetDomain
import Foundation
import Hummingbird

/// `/api/v1/audit`: reading and verifying the audit trail (admins and supervisors; see the routes).
struct AuditHandlers: Sendable {
    static let listLimit = 100

    let store: any AuditStore

    /// `GET /api/v1/audit?device=&actor=&since=&action=&limit=&after=`: `since` is an RFC 3339 time,
    /// `action` a prefix (`device.`), `after` a sequence number to page forward from.
    func list(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let limit = query.limit(default: Self.listLimit)
        let device = query.serial("device")
        let actor = query.text("actor", maxLength: 128)
        let action = query.text("action", maxLength: 64)
        let since = query.time("since")
        let after = query.integer("after", in: 0...Int.max).map(Int64.init)
        try query.validate()
        let records = try await store.auditRecords(AuditQuery(
            device: device?.rawValue, actor: actor, since: since, actionPrefix: action, limit: limit, after: after))
        return try .json(AuditRecordList(records: records), request: request, context: context)
    }

    /// `GET /api/v1/audit/verify`: re-hashes the whole trail. 200 either way: a broken chain is an answer,
    /// not a failed request.
    func verify(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let verification = try await store.verifyAudit()
        if !verification.isIntact {
            context.logger.error("the audit chain is broken", metadata: ["problem": "\(verification)"])
        }
        return try .json(AuditVerificationAnswer(verification), request: request, context: context)
    }
}
