import Foundation

/// What a writer supplies to the audit trail: one admin write (or command transition) that happened.
/// The store gives it its place in the chain (`AuditRecord`).
public struct AuditEntry: Sendable, Equatable {
    /// When the write happened. Kept to the millisecond (the chain hashes whole milliseconds).
    public var at: Date
    public var actor: AuditActor
    /// A dotted verb, noun first: `device.install`, `device.move`, `ban.add`, `token.revoke`, `command.trip`.
    public var action: String
    /// What was written, as `kind:id`: `device:BRK-0001`, `site:yanhu-market`, `token:<id>`, `command:<id>`.
    public var target: String
    /// The serial concerned, if any, so a device's whole history can be listed (`audit list --device`).
    public var device: String?
    /// Why, as the actor said it (revocations, moves, bans, commands).
    public var reason: String?
    /// For command records: the breaker state the device reported (`open`, `closed`).
    public var breaker: String?
    /// Small extra facts (`site`, `circuit`, `version`, `count`…), by name.
    public var detail: [String: String]

    public init(
        at: Date, actor: AuditActor, action: String, target: String, device: String? = nil, reason: String? = nil,
        breaker: String? = nil, detail: [String: String] = [:]
    ) {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.device = device
        self.reason = reason
        self.breaker = breaker
        self.detail = detail
    }
}
