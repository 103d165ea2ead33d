import Foundation

/// Something a device said that was acknowledged and must reach the store: the unit of the ingest journal.
///
/// Records carry the device's request body as it arrived (already validated) rather than a re-encoding of
/// it: the loop thread then only appends bytes, and the store keeps the device's own document.
public enum IngestRecord: Sendable, Equatable {
    case registration(RegistrationRecord)
    case telemetry(TelemetryRecord)
    case event(EventRecord)
    case profileReport(ProfileReportRecord)
    case commandResult(CommandResultRecord)
    case heartbeat(HeartbeatRecord)

    public var serial: Serial {
        switch self {
        case .registration(let record): record.serial
        case .telemetry(let record): record.serial
        case .event(let record): record.serial
        case .profileReport(let record): record.serial
        case .commandResult(let record): record.serial
        case .heartbeat(let record): record.serial
        }
    }
}

public struct RegistrationRecord: Sendable, Equatable {
    public var serial: Serial
    public var request: RegistrationRequest
    /// The state the registration decided (replayed as decided, never re-decided).
    public var state: DeviceState
    public var receivedAt: Date

    public init(serial: Serial, request: RegistrationRequest, state: DeviceState, receivedAt: Date) {
        self.serial = serial
        self.request = request
        self.state = state
        self.receivedAt = receivedAt
    }
}

public struct TelemetryRecord: Sendable, Equatable {
    public var serial: Serial
    public var receivedAt: Date
    /// The SenML pack as the device sent it.
    public var body: [UInt8]
    /// The same pack resolved (names relative, times absolute).
    public var pack: TelemetryPack

    public init(serial: Serial, receivedAt: Date, body: [UInt8], pack: TelemetryPack) {
        self.serial = serial
        self.receivedAt = receivedAt
        self.body = body
        self.pack = pack
    }
}

public struct EventRecord: Sendable, Equatable {
    public var serial: Serial
    public var report: EventReport
    public var receivedAt: Date

    public init(serial: Serial, report: EventReport, receivedAt: Date) {
        self.serial = serial
        self.report = report
        self.receivedAt = receivedAt
    }
}
