import FleetDomain

/// One request a simulated breaker wants sent to the server, ready for the wire: method, path, Content-Format
/// and the exact body of spec/device-api.md. `kind` says what it is, so a driver or a test need not re-parse.
public struct Outgoing: Sendable, Equatable {
    public enum Method: String, Sendable, Equatable {
        case post = "POST"
        case put = "PUT"
    }

    /// CoAP Content-Format numbers of the device API.
    public enum ContentFormat: UInt16, Sendable, Equatable {
        case json = 50
        case senmlJSON = 110
        case pkcs10 = 286
    }

    public enum Kind: Sendable, Equatable {
        /// `POST /v1/register`.
        case registration
        /// `POST /v1/telemetry`.
        case telemetry
        /// `POST /v1/events`.
        case event(EventReport)
        /// `POST /v1/commands/{id}`.
        case commandResult(id: String, CommandResult)
        /// `PUT /v1/profile/applied`.
        case profileReport(ProfileReport)
        /// `PUT /v1/firmware/state`.
        case firmwareState(FirmwareReport)
        /// EST re-enrollment for the `renew` command `commandID` (`POST /.well-known/est/sren`): the network
        /// side makes the key and CSR, keeps the new certificate, then calls `renewalFinished`.
        case renewal(commandID: String)
    }

    public var method: Method
    /// Absolute path, e.g. `/v1/commands/c-17` (a command id is percent-encoded where needed).
    public var path: String
    public var contentFormat: ContentFormat
    public var body: [UInt8]
    public var kind: Kind
    /// A command result reported again for a repeated delivery: the command was not executed again.
    public var isRepeat: Bool

    public init(method: Method, path: String, contentFormat: ContentFormat, body: [UInt8], kind: Kind, isRepeat: Bool = false) {
        self.method = method
        self.path = path
        self.contentFormat = contentFormat
        self.body = body
        self.kind = kind
        self.isRepeat = isRepeat
    }

    /// The path's segments without the leading slash (`["v1", "commands", "c-17"]`), as CoAP Uri-Path
    /// options want them; the command id segment is the raw id, not percent-encoded.
    public var pathSegments: [String] {
        if case .commandResult(let id, _) = kind { return ["v1", "commands", id] }
        return path.split(separator: "/").map(String.init)
    }
}

/// What the server pushed or answered on an observed resource, as the network side received it.
public enum Incoming: Sendable, Equatable {
    /// The body of `GET /v1/profile` (a notification or an answer): the desired threshold profile.
    case profileBody([UInt8])
    /// The desired profile, already decoded.
    case profile(ThresholdProfile)
    /// The body of `GET /v1/commands`: `[{"id","action","issued","expires","inspected_by"?}]`, oldest first.
    case commandsBody([UInt8])
    /// Pending commands, already decoded, oldest first.
    case commands([PendingCommand])
    /// The body of `GET /v1/firmware`: `{"version","size","sha256","uri","campaign"}` or `{"version":null}`.
    case firmwareBody([UInt8])
    /// The firmware target, already decoded; nil when the server wants none.
    case firmware(FirmwareTarget?)
}

/// A body from the server that a simulated breaker cannot read; nothing was changed.
public struct SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
