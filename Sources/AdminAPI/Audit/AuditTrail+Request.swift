import FleetDomain
import FleetServices
import Foundation
import Logging

extension AuditTrail {
    /// The admin API's trail: its store, and the time the API reads (injected, so tests choose it).
    init(store: any AuditStore, clock: @escaping @Sendable () -> Date, logger: Logger) {
        self.init(store: store, clock: ReadingClock(read: clock), logger: logger)
    }

    /// Records a write the request's token made. Call it after the write succeeded.
    @discardableResult
    func record(
        _ context: AdminRequestContext, action: String, target: String, device: String? = nil, reason: String? = nil,
        detail: [String: String] = [:]
    ) async -> AuditRecord? {
        await record(Self.actor(context), action: action, target: target, device: device, reason: reason, detail: detail)
    }

    /// The token that authenticated the request, by name and role.
    static func actor(_ context: AdminRequestContext) -> AuditActor {
        guard let token = context.token else { return AuditActor(name: "anonymous", role: "none") }
        return AuditActor(name: token.name, role: token.role.rawValue)
    }
}

/// A `WallClock` over the API's clock function.
private struct ReadingClock: WallClock {
    let read: @Sendable () -> Date

    func now() -> Date { read() }
}
