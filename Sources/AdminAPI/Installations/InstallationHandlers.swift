import AdminAPIModel
import FleetDomain
import FleetServices
import Foundation
import Hummingbird
import Logging

/// Installation in the field: by token (`/api/v1/devices/{serial}/installation`) or by claim code
/// (`/api/v1/claims`, `/api/v1/claims/redeem`).
struct InstallationHandlers: Sendable {
    /// A CSR is well under 2 KiB; this leaves room without inviting floods on the unauthenticated redeem.
    static let bodyLimit = 16 * 1024

    let store: any FleetStore
    let services: RegistryServices
    let clock: @Sendable () -> Date
    let random: any RandomSource
    /// Redemptions per source address: the code is the only credential, so guessing must be slow.
    let redemptions: AttemptLimiter
    let audit: AuditTrail

    /// `POST /api/v1/devices/{serial}/installation` `{"site","circuit","csr"?,"reason"?}` → 200 the device,
    /// the installation (a move when the device was active at another site) and, with a CSR, the
    /// operational certificate. Refused by the installation rules: 403 (scope) or 409 (a move without reason).
    func install(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let token = context.token else { throw Problem.unauthorized("missing bearer token") }
        let serial = try Self.serial(context)
        let body = try await JSONBody.decode(InstallRequest.self, from: request, context: context, limit: Self.bodyLimit)
        let (site, circuit, csr) = (body.site, body.circuit, body.csr)
        let outcome = try await services.installing.install(
            .init(serial: serial, siteID: site, circuit: circuit, csrPEM: csr, reason: body.reason), authority: .token(token),
            now: clock())
        var metadata: Logger.Metadata = ["serial": "\(serial)", "site": "\(site)", "by": "\(token.name)"]
        if let from = outcome.installation.movedFrom { metadata["from"] = "\(from)" }
        context.logger.notice(outcome.installation.isMove ? "moved a device" : "installed a device", metadata: metadata)
        await audit.record(context, action: outcome.installation.isMove ? "device.move" : "device.install",
                           target: "device:\(serial)", device: serial.rawValue, reason: body.reason,
                           detail: Self.auditDetail(outcome.installation))
        return try .json(Installed(outcome, now: clock()), request: request, context: context)
    }

    /// `GET /api/v1/devices/{serial}/installations`: where it is now and every installation, newest first.
    func history(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let serial = try Self.serial(context)
        guard try await store.device(serial) != nil else { throw Problem.notFound("no device with serial \(serial)") }
        let current = try await store.assignment(of: serial)
        let installations = try await store.installations(of: serial)
        let retirements = try await store.retirements(of: serial)
        return try .json(
            InstallationHistory(assignment: current.map(AssignmentRepresentation.init),
                    installations: installations.map(InstallationRepresentation.init),
                    retirements: retirements.map(RetirementRepresentation.init)),
            request: request, context: context)
    }

    /// `POST /api/v1/claims` `{"site","ttl_s"?}` (admin) → 201 `{"id","code","qr","site","expires_at"}`.
    func createClaim(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        guard let token = context.token else { throw Problem.unauthorized("missing bearer token") }
        let body = try await JSONBody.decode(ClaimRequest.self, from: request, context: context)
        let siteID = try Identifier.site(body.site)
        let ttl = body.ttlSeconds ?? ClaimCode.defaultTTL
        if !ClaimCode.ttlRange.contains(ttl) {
            throw Problem.validation(
                field: "ttl_s",
                "ttl_s \(ttl) is outside \(ClaimCode.ttlRange.lowerBound)–\(ClaimCode.ttlRange.upperBound) (one minute to 24 hours)")
        }
        guard try await store.site(siteID) != nil else { throw Problem.validation(field: "site", "no site \(siteID)") }
        let now = clock()
        let (secret, claim) = ClaimCodes.mint(siteID: siteID, createdBy: token.name, now: now, ttl: ttl, random: random)
        try await store.insertClaim(claim)
        context.logger.notice("created a claim code", metadata: ["claim": "\(claim.id)", "site": "\(siteID)"])
        await audit.record(context, action: "claim.create", target: "claim:\(claim.id)",
                           detail: ["site": siteID, "expires_at": ISO8601DateFormatter().string(from: claim.expiresAt)])
        return try .json(
            CreatedClaim(id: claim.id, code: secret, qr: ClaimCode.qrPayload(secret: secret, siteID: siteID),
                         site: siteID, expiresAt: claim.expiresAt),
            status: .created, request: request, context: context)
    }

    /// `POST /api/v1/claims/redeem` `{"code","serial","circuit","csr"?}`, no bearer token: the code is the
    /// credential (single use, short-lived, one site). 404 for an unknown code, 410 for a used or expired one,
    /// 429 with Retry-After past the per-address limit (every attempt counts, before the body is read).
    func redeem(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        if let wait = redemptions.attempt(from: context.sourceAddress ?? "unknown", now: clock()) {
            context.logger.warning("claim redemptions limited", metadata: ["source": "\(context.sourceAddress ?? "unknown")"])
            throw Problem.tooManyRequests("claim-code redemptions", limit: redemptions.limit, retryAfter: wait)
        }
        let body = try await JSONBody.decode(RedeemRequest.self, from: request, context: context, limit: Self.bodyLimit)
        let (code, circuit, csr) = (body.code, body.circuit, body.csr)
        guard let serial = Serial(body.serial) else { throw Problem.validation(field: "serial", "serial must match \(Serial.rule)") }
        guard let claim = try await store.claim(hash: ClaimCodes.hash(ClaimCode.secret(fromPayload: code))) else {
            throw Problem.notFound("unknown claim code")
        }
        let outcome = try await services.installing.install(
            .init(serial: serial, siteID: claim.siteID, circuit: circuit, csrPEM: csr), authority: .claim(claim),
            now: clock())
        context.logger.notice("redeemed a claim code", metadata: ["claim": "\(claim.id)", "serial": "\(serial)"])
        // No token: the claim is the actor; who created it is in the detail.
        var detail = Self.auditDetail(outcome.installation)
        detail["claim_created_by"] = claim.createdBy
        await audit.record(.claim(claim.id), action: outcome.installation.isMove ? "device.move" : "device.install",
                           target: "device:\(serial)", device: serial.rawValue, detail: detail)
        return try .json(Installed(outcome, now: clock()), request: request, context: context)
    }

    /// Where the device went, where from, and whether it got a new certificate.
    static func auditDetail(_ installation: Installation) -> [String: String] {
        var detail = ["site": installation.siteID, "circuit": installation.circuit, "installation": installation.id]
        if let from = installation.movedFrom { detail["from_site"] = from }
        if installation.rekeyed { detail["rekeyed"] = "true" }
        return detail
    }

    static func serial(_ context: AdminRequestContext) throws -> Serial {
        let text = context.parameters.get("serial") ?? ""
        guard let serial = Serial(text) else { throw Problem.validation(field: "serial", "serial must match \(Serial.rule)") }
        return serial
    }
}
