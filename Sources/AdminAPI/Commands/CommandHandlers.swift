import AdminAPIModel
import FleetDomain
import FleetServices
import Foundation
import Hummingbird

/// `/api/v1/commands` and `/api/v1/sites/{id}/trip`: remote trip, reset, self-test and renewal, each checked
/// by the safety interlocks (`CommandInterlocks`), with a second admin's approval where the profile asks.
struct CommandHandlers: Sendable {
    let store: any FleetStore
    let issuing: CommandIssuing

    static let reasonLimit = 500
    static let nameLimit = 100

    /// `POST /api/v1/commands` → 201 with the command (`queued`, or `awaiting_approval`); 409 naming the
    /// interlock that refuses it.
    func issue(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(CommandRequest.self, from: request, context: context)
        var issues: [FieldIssue] = []
        let serial = Serial(body.serial)
        if serial == nil { issues.append(FieldIssue("serial", "serial must match \(Serial.rule)")) }
        let action = RemoteAction(rawValue: body.action)
        if action == nil {
            issues.append(FieldIssue("action", "action \(body.action) is not one of: \(RemoteAction.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        issues += Self.textIssues(body.reason, field: "reason", max: Self.reasonLimit)
        if let inspector = body.inspectedBy { issues += Self.textIssues(inspector, field: "inspected_by", max: Self.nameLimit) }
        let ttl = try Self.ttl(body.ttlSeconds, into: &issues)
        guard let serial, let action, issues.isEmpty else { throw Problem(domain: .invalid(issues)) }
        let order = CommandIssuing.Order(serial: serial, action: action, reason: body.reason, ttl: ttl, inspectedBy: body.inspectedBy)
        let command = try await domain { try await issuing.issue(order, by: try Self.issuer(context)) }
        context.logger.notice("issued a command", metadata: [
            "command": "\(command.id)", "action": "\(action.rawValue)", "serial": "\(serial)", "state": "\(command.state.rawValue)"])
        return try .json(CommandRepresentation(command), status: .created, request: request, context: context)
    }

    /// `GET /api/v1/commands?device=S&state=a,b&site_trip=B&limit=N&before=SEQ`: newest first.
    func list(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let limit = query.limit(default: 100)
        let serial = query.serial("device")
        let states = query.text("state", rule: "one or more (comma-separated) of: \(Self.stateList)") { text in
            text.split(separator: ",").allSatisfy { CommandLifecycle.State(rawValue: String($0)) != nil }
        }.map { Set($0.split(separator: ",").compactMap { CommandLifecycle.State(rawValue: String($0)) }) } ?? []
        let batch = query.text("site_trip", rule: "a site trip batch id (trip- and 12 hex digits)") { Self.isBatchID($0) }
        try query.validate()
        let commands = try await store.commands(CommandQuery(serial: serial, states: states, siteTrip: batch, limit: limit))
        return try .json(CommandList(commands: commands.map(CommandRepresentation.init)), request: request, context: context)
    }

    /// `GET /api/v1/commands/{id}`: the command and its whole timeline.
    func show(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let id = try Self.commandID(context)
        guard let command = try await store.command(id: id) else { throw Problem.notFound("no command \(id)") }
        return try .json(CommandRepresentation(command), request: request, context: context)
    }

    /// `POST /api/v1/commands/{id}/cancel`: only before the device received it.
    func cancel(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let id = try Self.commandID(context)
        let command = try await domain { try await issuing.cancel(id, by: try Self.issuer(context)) }
        context.logger.notice("cancelled a command", metadata: ["command": "\(id)"])
        return try .json(CommandRepresentation(command), request: request, context: context)
    }

    /// `POST /api/v1/commands/{id}/approve`: a second admin (another token than the issuer's) lets it go.
    func approve(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let id = try Self.commandID(context)
        let command = try await domain { try await issuing.approve(id, by: try Self.issuer(context)) }
        context.logger.notice("approved a command", metadata: ["command": "\(id)"])
        return try .json(CommandRepresentation(command), request: request, context: context)
    }

    /// `POST /api/v1/sites/{id}/trip` `{"reason","confirm","dry_run"?,"ttl_s"?}`: 200 with the plan for a
    /// dry run (nothing changes), 201 with the trips issued otherwise.
    func tripSite(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let siteID = try Identifier.site(context.parameters.get("id") ?? "", field: "id")
        let body = try await JSONBody.decode(SiteTripRequest.self, from: request, context: context)
        var issues = Self.textIssues(body.reason, field: "reason", max: Self.reasonLimit)
        let ttl = try Self.ttl(body.ttlSeconds, into: &issues)
        let dryRun = body.dryRun ?? false
        if !dryRun && body.confirm == nil {
            issues.append(FieldIssue("confirm", "confirm must repeat the site id \(siteID) for a real site trip (or set dry_run)"))
        }
        guard issues.isEmpty else { throw Problem(domain: .invalid(issues)) }
        let tripping = SiteTripping(issuing: issuing)
        let outcome = try await domain {
            dryRun ? try await tripping.plan(siteID)
                : try await tripping.trip(siteID, confirmation: body.confirm ?? "", reason: body.reason, ttl: ttl,
                                          by: try Self.issuer(context))
        }
        if !dryRun {
            context.logger.notice("tripped a site", metadata: [
                "site": "\(siteID)", "batch": "\(outcome.batch ?? "")", "trips": "\(outcome.entries.filter { $0.command != nil }.count)"])
        }
        let representation = SiteTripRepresentation(
            site: siteID, dryRun: dryRun, batch: outcome.batch,
            entries: outcome.entries.map { .init(serial: $0.serial.rawValue, circuit: $0.circuit, refusal: $0.refusal, command: $0.command?.id) })
        return try .json(representation, status: dryRun ? .ok : .created, request: request, context: context)
    }

    // MARK: - Helpers

    private func domain<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as DomainError {
            throw Problem(domain: error)
        }
    }

    static func issuer(_ context: AdminRequestContext) throws -> CommandIssuing.Issuer {
        guard let token = context.token else { throw Problem.unauthorized("a bearer token is required") }
        return CommandIssuing.Issuer(tokenID: token.id, name: token.name, role: token.role.rawValue)
    }

    private static func commandID(_ context: AdminRequestContext) throws -> String {
        let id = context.parameters.get("id") ?? ""
        guard Command.isWellFormedID(id) else { throw Problem.validation(field: "id", "id must be cmd- and 16 lowercase hex digits") }
        return id
    }

    private static func ttl(_ seconds: Int?, into issues: inout [FieldIssue]) throws -> TimeInterval {
        guard let seconds else { return CommandIssuing.defaultTTL }
        let range = CommandIssuing.ttlRange
        guard range.contains(TimeInterval(seconds)) else {
            issues.append(FieldIssue("ttl_s", "ttl_s \(seconds) is outside \(Int(range.lowerBound))–\(Int(range.upperBound)) seconds"))
            return CommandIssuing.defaultTTL
        }
        return TimeInterval(seconds)
    }

    /// The domain's text rule (required, at most `max` characters, no control characters).
    private static func textIssues(_ value: String, field: String, max: Int) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        TextRule.check(value, field: field, max: max, into: &issues)
        return issues
    }

    static func isBatchID(_ text: String) -> Bool {
        text.utf8.count == 17 && text.hasPrefix("trip-") && Hex.decode(text.dropFirst(5)) != nil
    }

    private static let stateList = CommandLifecycle.State.allCases.map(\.rawValue).joined(separator: ", ")
}
