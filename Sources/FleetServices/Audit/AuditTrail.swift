import FleetDomain
import Foundation
import Logging

/// The one way the server writes to the audit trail: stamps the time, appends, and never fails the
/// caller. It is called after the change it describes is made, so a failure to append cannot undo that
/// change; it is logged at error level with the whole entry (the log then holds what the trail misses).
public struct AuditTrail: Sendable {
    let store: any AuditStore
    let clock: any WallClock
    let logger: Logger

    public init(store: any AuditStore, clock: any WallClock, logger: Logger) {
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// Records one write by `actor`, now. Returns the stored record, or nil if the append failed (logged).
    @discardableResult
    public func record(
        _ actor: AuditActor, action: String, target: String, device: String? = nil, reason: String? = nil,
        breaker: String? = nil, detail: [String: String] = [:]
    ) async -> AuditRecord? {
        let entry = AuditEntry(at: clock.now(), actor: actor, action: action, target: target, device: device,
                               reason: reason, breaker: breaker, detail: detail)
        return await record([entry]).first
    }

    /// Records several entries in one transaction (a bulk import: one per device), in order.
    @discardableResult
    public func record(_ entries: [AuditEntry]) async -> [AuditRecord] {
        do {
            return try await store.appendAudit(entries)
        } catch {
            for entry in entries {
                logger.error("could not append to the audit trail", metadata: [
                    "error": "\(error)", "actor": "\(entry.actor.name)", "role": "\(entry.actor.role)",
                    "action": "\(entry.action)", "target": "\(entry.target)", "reason": "\(entry.reason ?? "-")",
                    "detail": "\(entry.detail)",
                ])
            }
            return []
        }
    }

    /// The time of day, for callers building entries themselves.
    public func now() -> Date { clock.now() }
}
