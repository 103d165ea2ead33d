import FleetDomain

/// Reads the JSON bodies devices send besides telemetry (spec/device-api.md), checking every field and
/// bound. Errors are `DeviceAPIError.badRequest` naming the field: `lifetime: 5 is below 60`,
/// `model: missing`, `caps[2]: expected a string, found a number`, `body: malformed JSON at byte 9: …`.
///
/// Common rules: the body is one JSON object; members this server does not know are ignored (the contract
/// is extended, never altered); `null` counts as absent; a member given twice is refused. Lengths are in
/// UTF-8 bytes, and strings may not contain control characters. Integers may be written as any JSON number
/// with a whole value (`60`, `60.0`, `6e1`).
public enum DeviceRequestParser {
    /// Bounds of `POST /v1/register`.
    public enum RegistrationLimits {
        public static let model = 1...64
        public static let firmware = 1...32
        public static let hardware = 1...32
        public static let profileID = 1...64
        public static let profileVersion = 0...Int(Int32.max)
        public static let capabilities = 32
        public static let capability = 1...32
    }

    /// Bounds of `POST /v1/events`.
    public enum EventLimits {
        public static let id = 1...64
        /// Unix seconds: after the epoch, up to 9999-12-31T23:59:59Z.
        public static let at: ClosedRange<Int64> = 1...253_402_300_799
    }

    /// The body of `POST /v1/register`: `{"model","fw","hw"?,"profile"?:{"id","version"},"caps"?,"lifetime"?}`.
    ///
    /// `model` 1–64 bytes, `fw` 1–32, `hw` 1–32 if present; `profile.id` matches `[a-z0-9-]{1,64}`,
    /// `profile.version` 0…2^31−1; `caps` at most 32 strings of 1–32 bytes; `lifetime` within
    /// `Registration.lifetimeRange`, default `Registration.defaultLifetime`.
    public static func registration(_ body: [UInt8]) throws(DeviceAPIError) -> RegistrationRequest {
        let fields = try JSONFields(body: body)
        let model = try fields.string("model", bytes: RegistrationLimits.model)
        let firmware = try fields.string("fw", bytes: RegistrationLimits.firmware)
        let hardware = try fields.optionalString("hw", bytes: RegistrationLimits.hardware)
        let profile = try fields["profile"].map { (value) throws(DeviceAPIError) in try profileRef(value) }
        let capabilities = try fields["caps"].map { (value) throws(DeviceAPIError) in try capabilityList(value) } ?? []
        let lifetime = try fields.optionalInteger("lifetime", in: Registration.lifetimeRange) ?? Registration.defaultLifetime
        return RegistrationRequest(
            model: model, firmware: firmware, hardware: hardware, profile: profile,
            capabilities: capabilities, lifetime: lifetime)
    }

    /// The body of `POST /v1/events`: `{"id","type","at","value"?,"phase"?,"action"?}`.
    ///
    /// `id` 1–64 bytes of printable ASCII (space included); `type` an `EventType`; `at` whole Unix seconds
    /// within `EventLimits.at`; `value` a number; `phase` one of `l1 l2 l3 n`; `action` an `EventAction`.
    public static func event(_ body: [UInt8]) throws(DeviceAPIError) -> EventReport {
        let fields = try JSONFields(body: body)
        let id = try fields.string("id", bytes: EventLimits.id)
        guard id.utf8.allSatisfy({ $0 < 0x80 }) else {
            throw .invalid("id", "\(Diagnostic.echo(id)) has a character outside printable ASCII")
        }
        let type = try fields.choice("type", EventType.self)
        let at = try fields.integer("at", in: EventLimits.at)
        let value = try fields.optionalNumber("value")
        let phase = try fields.optionalChoice("phase", Phase.self)
        let action = try fields.optionalChoice("action", EventAction.self)
        return EventReport(id: id, type: type, at: at, value: value, phase: phase?.rawValue, action: action)
    }

    private enum Phase: String, CaseIterable {
        case l1, l2, l3, n
    }

    private static func profileRef(_ value: JSONValue) throws(DeviceAPIError) -> RegistrationRequest.ProfileRef {
        let fields = try JSONFields(value, path: "profile")
        let id = try fields.string("id", bytes: RegistrationLimits.profileID)
        guard ThresholdProfile.isValidID(id) else {
            throw .invalid("profile.id", "\(Diagnostic.echo(id)) does not match [a-z0-9-]{1,64}")
        }
        let version = try fields.integer("version", in: RegistrationLimits.profileVersion)
        return .init(id: id, version: version)
    }

    private static func capabilityList(_ value: JSONValue) throws(DeviceAPIError) -> [String] {
        guard case .array(let elements) = value else {
            throw .invalid("caps", "expected an array of strings, found \(value.kind)")
        }
        guard elements.count <= RegistrationLimits.capabilities else {
            throw .invalid("caps", "\(elements.count) entries is above \(RegistrationLimits.capabilities)")
        }
        var capabilities: [String] = []
        capabilities.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            capabilities.append(try JSONFields.string(element, path: "caps[\(index)]", bytes: RegistrationLimits.capability))
        }
        return capabilities
    }
}
