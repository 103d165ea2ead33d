import FleetDomain
import Foundation

/// `POST /api/v1/devices`: `{"serial": "BRK-0001", "model": "BF-100"}`. Unknown fields are ignored, so
/// older servers accept bodies from newer clients.
public struct ProvisionRequest: Codable, Sendable, Equatable {
    public var serial: String
    public var model: String

    public init(serial: String, model: String) {
        self.serial = serial
        self.model = model
    }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let serial: String? = fields.required(.serial)
        let model: String? = fields.required(.model)
        (self.serial, self.model) = try fields.complete(serial, model)
    }
}

/// The answer to provisioning: the device and its credentials, handed out this once.
public struct Provisioned: Codable, Sendable, Equatable {
    public var device: DeviceRepresentation
    public var credentials: DeviceCredential

    public init(device: DeviceRepresentation, credentials: DeviceCredential) {
        self.device = device
        self.credentials = credentials
    }
}

/// `GET /api/v1/devices`: one page; `next` is the serial to pass as `after`, null on the last page.
public struct DeviceList: Codable, Sendable, Equatable {
    public var devices: [DeviceRepresentation]
    public var next: String?

    public init(devices: [DeviceRepresentation], next: String?) {
        self.devices = devices
        self.next = next
    }

    // `next` is written as null on the last page rather than left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(devices, forKey: .devices)
        try container.encode(next, forKey: .next)
    }
}

/// `GET /api/v1/devices/{serial}`: the device, its latest value per measurement and its newest events.
public struct DeviceDetail: Codable, Sendable, Equatable {
    public var device: DeviceRepresentation
    public var latest: [MeasurementRepresentation]
    public var events: [EventRepresentation]

    public init(device: DeviceRepresentation, latest: [MeasurementRepresentation], events: [EventRepresentation]) {
        self.device = device
        self.latest = latest
        self.events = events
    }
}

/// `GET /api/v1/devices/{serial}/telemetry`: packs, newest first.
public struct TelemetryList: Codable, Sendable, Equatable {
    public var telemetry: [TelemetryRepresentation]

    public init(telemetry: [TelemetryRepresentation]) { self.telemetry = telemetry }
}

/// `GET /api/v1/devices/{serial}/events`: events, newest first.
public struct EventList: Codable, Sendable, Equatable {
    public var events: [EventRepresentation]

    public init(events: [EventRepresentation]) { self.events = events }
}

/// `POST /api/v1/devices/{serial}/revoke` and `…/decommission`: `{"reason"}`.
public struct RetireRequest: Codable, Sendable, Equatable {
    public var reason: String

    public init(reason: String) { self.reason = reason }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let reason: String? = fields.required(.reason)
        self.reason = try fields.complete(reason)
    }
}

/// The answer to a revocation or decommissioning: the device in its new state.
public struct RetiredDevice: Codable, Sendable, Equatable {
    public var device: DeviceRepresentation

    public init(device: DeviceRepresentation) { self.device = device }
}
