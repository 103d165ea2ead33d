import AdminAPIModel
import FleetDomain
import FleetServices
import Foundation
import Hummingbird

/// `POST /api/v1/devices/import[?dry_run=true]` `{"rows":[{"line","serial","model","site","circuit"}]}`:
/// up to 5 000 rows per call, validated as a whole and written in one transaction only if all are valid.
struct ImportHandlers: Sendable {
    /// 5 000 rows of ~120 bytes, with room to spare.
    static let bodyLimit = 2 * 1024 * 1024

    let services: RegistryServices
    let clock: @Sendable () -> Date
    let audit: AuditTrail

    func run(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let token = context.token else { throw Problem.unauthorized("missing bearer token") }
        let dryRunText = request.uri.queryParameters["dry_run"].map(String.init) ?? "false"
        guard dryRunText == "true" || dryRunText == "false" else {
            throw Problem.validation(field: "dry_run", "dry_run must be true or false")
        }
        let rows = try await Self.rows(request, context: context)
        let results = try await services.importing.run(rows, dryRun: dryRunText == "true", by: token, now: clock())
        let answer = ImportAnswer(dryRun: dryRunText == "true", results: results)
        if !answer.dryRun {
            context.logger.notice("imported devices", metadata: ["new": "\(answer.new)", "by": "\(token.name)"])
            await audit.record(Self.auditEntries(rows, results, context: context, at: audit.now()))
        }
        return try .json(answer, request: request, context: context)
    }

    /// One record per new device (appended in one transaction, so cheap even for 5 000), each with the
    /// import's size, so `audit list --device` finds an imported device like an installed one.
    static func auditEntries(_ rows: [ImportRow], _ results: [ImportResult], context: AdminRequestContext, at now: Date) -> [AuditEntry] {
        let rowsByLine = Dictionary(rows.map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
        let created = results.filter { $0.outcome == .new }
        return created.map { result in
            let row = rowsByLine[result.line]
            var detail = ["line": "\(result.line)", "import_new": "\(created.count)"]
            if let row { detail.merge(["model": row.model, "site": row.site, "circuit": row.circuit]) { first, _ in first } }
            return AuditEntry(at: now, actor: AuditTrail.actor(context), action: "device.import", target: "device:\(result.serial)",
                              device: result.serial, detail: detail)
        }
    }

    /// Decoded with `JSONDecoder` in one pass: 5 000 rows cost well under the import itself.
    static func rows(_ request: Request, context: AdminRequestContext) async throws -> [ImportRow] {
        let rows = try await JSONBody.decode(ImportRequest.self, from: request, context: context, limit: bodyLimit).rows
        if rows.isEmpty { throw Problem.validation(field: "rows", "rows is empty") }
        if rows.count > DeviceImporting.maxRows {
            throw Problem.validation(field: "rows", "rows has \(rows.count) entries, more than \(DeviceImporting.maxRows) per call")
        }
        return rows
    }
}
