import AdminAPIModel
import FleetDomain
import Foundation
import Hummingbird

/// What the fleet knows about device certificates and the refusals of the device plane.
struct TrustHandlers: Sendable {
    let store: any FleetStore
    let clock: @Sendable () -> Date

    /// `GET /api/v1/devices/{serial}/certificates`.
    func certificates(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let serial = try InstallationHandlers.serial(context)
        guard try await store.device(serial) != nil else { throw Problem.notFound("no device with serial \(serial)") }
        let bindings = try await store.certificateBindings(of: serial)
        return try .json(DeviceCertificates(serial: serial.rawValue, certificates: bindings.certificates), request: request, context: context)
    }

    /// `GET /api/v1/certificates/expiring?within=SECONDS` (default 30 days, at most 10 years).
    func expiring(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let within = query.integer("within", in: 1...(10 * 366 * 86_400)) ?? 30 * 86_400
        try query.validate()
        let before = clock().addingTimeInterval(TimeInterval(within))
        let devices = try await store.currentCertificates(expiringBefore: before)
            .map { ExpiringCertificates.Entry(serial: $0.serial.rawValue, certificate: $0.certificate) }
        return try .json(ExpiringCertificates(before: before, devices: devices), request: request, context: context)
    }

    /// `GET /api/v1/ingest/quarantine?limit=N`: journaled records the store refused, newest first.
    func quarantine(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let limit = query.limit(default: 100)
        try query.validate()
        return try .json(QuarantineList(records: try await store.quarantinedRecords(limit: limit)), request: request, context: context)
    }

    /// `GET /api/v1/security/events?serial=S&since=SECONDS&limit=N` (`since` in Unix seconds, limit 1–1000).
    func securityEvents(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let limit = query.limit(default: 100)
        let since = query.integer("since", in: 0...(1 << 40)).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        let serial = query.serial("serial")
        try query.validate()
        let events = try await store.securityEvents(serial: serial?.rawValue, since: since, limit: limit)
        return try .json(SecurityEventList(events: events), request: request, context: context)
    }
}
