import DeviceGateway
import FleetDomain
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the device plane's view of certified models and bans equal to the store's: pushed at start,
/// after every model or ban change, and once a minute, because a certification also ends by itself when
/// its validity runs out.
final class RegistrySync: Sendable {
    static let refreshInterval: Duration = .seconds(60)

    let store: any FleetStore
    let gateway: DeviceGateway
    /// Certified capabilities decide which profiles a model can run: a model change re-runs precedence.
    let profiles: ProfileRecomputation
    let logger: Logger
    /// The last state pushed, so the periodic refresh only tells the gateway about real changes.
    private let pushed = Mutex<Snapshot?>(nil)

    struct Snapshot: Equatable, Sendable {
        var certified: Set<String>
        var bannedCAs: Set<String>
        var bannedModels: Set<String>
    }

    init(store: any FleetStore, gateway: DeviceGateway, profiles: ProfileRecomputation, logger: Logger) {
        self.store = store
        self.gateway = gateway
        self.profiles = profiles
        self.logger = logger
    }

    /// The state as the store has it now.
    static func snapshot(_ store: any FleetStore, at now: Date) async throws -> Snapshot {
        let bans = try await store.bans()
        let registry = try await store.certificationRegistry()
        return Snapshot(
            certified: registry.certifiedCodes(at: now),
            bannedCAs: Set(bans.filter { $0.kind == .ca }.map(\.subject)),
            bannedModels: registry.bannedModels)
    }

    /// Tells the gateway what changed since the last push. A failed read is logged and retried next time.
    func push(now: Date = Date()) async {
        do {
            let current = try await Self.snapshot(store, at: now)
            let previous = pushed.withLock { old -> Snapshot? in
                defer { old = current }
                return old
            }
            if previous?.certified != current.certified {
                gateway.certifiedModelsChanged(current.certified)
                // The first push only repeats what start-up precedence already used.
                if previous != nil { profiles.schedule() }
            }
            if previous?.bannedCAs != current.bannedCAs || previous?.bannedModels != current.bannedModels {
                gateway.bansChanged(caNames: current.bannedCAs, models: current.bannedModels)
            }
        } catch {
            logger.error("could not read certified models and bans", metadata: ["error": "\(error)"])
        }
    }
}

/// Runs the periodic refresh (certified models, bans, desired profiles) until shutdown.
struct RegistryRefreshService: Service {
    let sync: RegistrySync

    /// Precedence for the whole fleet reads every device: a safety net, not a poll.
    static let profileSafetyNetEvery = 5

    func run() async throws {
        var refreshes = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: RegistrySync.refreshInterval) }
            } catch {
                return
            }
            await sync.push()
            refreshes += 1
            // Anything that changed a desired profile without telling (a registration that reached the store
            // after its recomputation) is pushed within five minutes.
            if refreshes.isMultiple(of: Self.profileSafetyNetEvery) { sync.profiles.schedule() }
        }
    }
}
