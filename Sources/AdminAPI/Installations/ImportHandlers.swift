import AdminAPIModel
import FleetDomain
import Foundation
import Hummingbird

/// `POST /api/v1/devices/import[?dry_run=true]` `{"rows":[{"line","serial","model","site","circuit"}]}`:
/// up to 5 000 rows per call, validated as a whole and written in one transaction only if all are valid.
struct ImportHandlers: Sendable {
    /// 5 000 rows of ~120 bytes, with room to spare.
    static let bodyLimit = 2 * 1024 * 1024

    let services: RegistryServices
    let clock: @Sendable () -> Date

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
        }
        return try .json(answer, request: request, context: context)
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
