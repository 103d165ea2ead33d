import AdminAPIModel
import FleetDomain
import FleetServices
import Foundation
import Hummingbird

/// The device endpoints under `/api/v1/devices`. Roles are declared with the routes, not here.
struct DeviceHandlers: Sendable {
    static let detailEventCount = 20
    static let listLimit = 100
    static let historyLimit = 50

    let store: any FleetStore
    let provisioning: Provisioning
    let clock: @Sendable () -> Date
    let audit: AuditTrail

    /// `POST /api/v1/devices`: records the device and issues its credentials, handed out this once.
    func provision(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(ProvisionRequest.self, from: request, context: context)
        let serial = try Self.validate(body)
        let now = clock()
        try await requireCertified(body.model, at: now)
        let (device, credential): (Device, DeviceCredential)
        do {
            let model = try await store.model(body.model)
            let presharedKeyBytes = model.flatMap { $0.has(.pskOnly) ? $0.presharedKeyBytes : nil }
            (device, credential) = try await provisioning.provision(
                serial: serial, model: body.model, presharedKeyBytes: presharedKeyBytes, now: now)
        } catch let error as StoreError where error.code == .duplicate {
            throw Problem.conflict("a device with serial \(serial) already exists")
        }
        context.logger.notice("provisioned a device", metadata: ["serial": "\(device.serial)", "model": "\(device.model)"])
        await audit.record(context, action: "device.provision", target: "device:\(device.serial)", device: device.serial.rawValue,
                           detail: ["model": device.model])
        return try .json(
            Provisioned(device: DeviceRepresentation(device, at: now), credentials: credential), status: .created,
            headers: [.location: "/api/v1/devices/\(device.serial)"], request: request, context: context)
    }

    /// `GET /api/v1/devices?state=&limit=&after=`: one page in serial order; `state` filters on the
    /// stored state (offline and expired are derived, so they never match).
    func list(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let limit = query.limit(default: Self.listLimit)
        let state = query.state()
        let after = query.serial("after")
        try query.validate()
        // One more than asked tells whether another page exists, so `next` is null on the last page.
        var devices = try await store.devices(DeviceQuery(state: state, limit: limit + 1, after: after))
        let more = devices.count > limit
        if more { devices.removeLast(devices.count - limit) }
        let now = clock()
        let page = DeviceList(
            devices: devices.map { DeviceRepresentation($0, at: now) }, next: more ? devices.last?.serial.rawValue : nil)
        return try .json(page, request: request, context: context)
    }

    /// `GET /api/v1/devices/{serial}`: the device, its latest value per measurement and its newest events.
    func show(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        let device = try await requireDevice(context)
        let latest = try await store.latestMeasurements(device.serial)
        let events = try await store.events(device.serial, limit: Self.detailEventCount)
        let detail = DeviceDetail(
            device: DeviceRepresentation(device, at: clock()), latest: latest.map(MeasurementRepresentation.init),
            events: events.map(EventRepresentation.init))
        return try .json(detail, request: request, context: context)
    }

    /// `GET /api/v1/devices/{serial}/telemetry?limit=`: packs, newest first.
    func telemetry(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let limit = query.limit(default: Self.historyLimit)
        try query.validate()
        let device = try await requireDevice(context)
        let packs = try await store.telemetry(device.serial, limit: limit)
        return try .json(TelemetryList(telemetry: packs.map(TelemetryRepresentation.init)), request: request, context: context)
    }

    /// `GET /api/v1/devices/{serial}/events?limit=`: events, newest first.
    func events(_ request: Request, _ context: AdminRequestContext) async throws -> Response {
        var query = QueryReader(request)
        let limit = query.limit(default: Self.historyLimit)
        try query.validate()
        let device = try await requireDevice(context)
        let events = try await store.events(device.serial, limit: limit)
        return try .json(EventList(events: events.map(EventRepresentation.init)), request: request, context: context)
    }

    /// The device named by the `{serial}` path parameter: 400 if malformed, 404 if unknown, so history
    /// endpoints never answer an empty list for a device that does not exist.
    private func requireDevice(_ context: AdminRequestContext) async throws -> Device {
        let text = context.parameters.get("serial") ?? ""
        guard let serial = Serial(text) else {
            throw Problem.validation(field: "serial", "serial must match \(Serial.rule)")
        }
        guard let device = try await store.device(serial) else {
            throw Problem.notFound("no device with serial \(serial)")
        }
        return device
    }
}
