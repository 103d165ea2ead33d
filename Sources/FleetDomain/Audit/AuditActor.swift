/// Who did what an audit record describes: the API token (its name and role) for admin writes, the device
/// for what a device reported, the server itself for what it does on its own.
public struct AuditActor: Sendable, Codable, Equatable {
    /// A token's name, a device's serial, `claim:<id>` for a claim-code redemption, or `breakerfleet`.
    public var name: String
    /// A token's role (`admin`, `installer`, `supervisor`), or `device`, `claim`, `system`.
    public var role: String

    public init(name: String, role: String) {
        self.name = name
        self.role = role
    }

    /// The server acting on its own (the local admin token it writes at start, expiries it enforces).
    public static let system = AuditActor(name: "breakerfleet", role: "system")

    /// A device, for what it reported (a command's result): named by its serial.
    public static func device(_ serial: Serial) -> AuditActor {
        AuditActor(name: serial.rawValue, role: "device")
    }

    /// The holder of a claim code, who redeems it without a token: the code is the credential.
    public static func claim(_ id: String) -> AuditActor {
        AuditActor(name: "claim:\(id)", role: "claim")
    }
}
