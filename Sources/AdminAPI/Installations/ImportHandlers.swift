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
        let summary = Dictionary(grouping: results, by: \.outcome).mapValues(\.count)
        if dryRunText == "false" {
            context.logger.notice("imported devices", metadata: ["new": "\(summary[.new] ?? 0)", "by": "\(token.name)"])
        }
        return try .json(
            ImportAnswer(
                dryRun: dryRunText == "true",
                new: summary[.new] ?? 0, unchanged: summary[.unchanged] ?? 0, invalid: summary[.invalid] ?? 0,
                rows: results.map(ImportAnswer.Row.init)),
            request: request, context: context)
    }

    private struct Body: Decodable {
        var rows: [ImportRow]
    }

    /// Decoded with `JSONDecoder`: 5 000 rows through `BodyFields` would cost more than the whole import.
    static func rows(_ request: Request, context: AdminRequestContext) async throws -> [ImportRow] {
        let data: Data
        do {
            data = Data(try await request.body.collect(upTo: bodyLimit).readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw Problem.contentTooLarge(limit: bodyLimit)
        }
        let rows = try JSONBody.decode(Body.self, from: data).rows
        if rows.isEmpty { throw Problem.validation(field: "rows", "rows is empty") }
        if rows.count > DeviceImporting.maxRows {
            throw Problem.validation(field: "rows", "rows has \(rows.count) entries, more than \(DeviceImporting.maxRows) per call")
        }
        return rows
    }
}

private struct ImportAnswer: Encodable {
    struct Row: Encodable {
        let line: Int
        let serial: String
        let outcome: ImportResult.Outcome
        let errors: [FieldIssue]

        init(_ result: ImportResult) {
            line = result.line
            serial = result.serial
            outcome = result.outcome
            errors = result.issues
        }
    }

    let dryRun: Bool
    let new: Int
    let unchanged: Int
    let invalid: Int
    let rows: [Row]

    private enum CodingKeys: String, CodingKey { case dryRun = "dry_run", new, unchanged, invalid, rows }
}
