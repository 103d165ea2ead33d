import FleetDomain
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the device plane's view of certified models and bans equal to the store's: pushed at start,
/// after every model or ban change, and once a minute, because a certification also ends by itself when
/// its validity runs out.
public final class RegistrySync: Sendable {
    public static let refreshInterval: Duration = .seconds(60)

    /// What the device plane is told when the state changes.
    public struct Listener: Sendable {
        /// The model codes certified now.
        public var certifiedModelsChanged: @Sendable (Set<String>) -> Void
        /// The banned CAs (SHA-256 fingerprints of their certificates) and model codes.
        public var bansChanged: @Sendable (_ caFingerprints: Set<[UInt8]>, _ models: Set<String>) -> Void

        public init(
            certifiedModelsChanged: @escaping @Sendable (Set<String>) -> Void,
            bansChanged: @escaping @Sendable (_ caFingerprints: Set<[UInt8]>, _ models: Set<String>) -> Void
        ) {
            self.certifiedModelsChanged = certifiedModelsChanged
            self.bansChanged = bansChanged
        }
    }

    let store: any FleetStore
    let listener: Listener
    /// Certified capabilities decide which profiles a model can run: a model change re-runs precedence.
    public let profiles: ProfileRecomputation
    /// When certifications are judged valid.
    let clock: any WallClock
    let logger: Logger
    /// The last state pushed, so the periodic refresh only tells the gateway about real changes.
    private let pushed = Mutex<Snapshot?>(nil)

    public struct Snapshot: Equatable, Sendable {
        public var certified: Set<String>
        /// Fingerprints of banned CA certificates (`ca` bans; `ca-name` bans from before match nothing).
        public var bannedCAs: Set<[UInt8]>
        public var bannedModels: Set<String>
    }

    public init(
        store: any FleetStore, listener: Listener, profiles: ProfileRecomputation, clock: any WallClock, logger: Logger
    ) {
        self.store = store
        self.listener = listener
        self.profiles = profiles
        self.clock = clock
        self.logger = logger
    }

    /// The state as the store has it at `now`.
    public static func snapshot(_ store: any FleetStore, at now: Date) async throws -> Snapshot {
        let bans = try await store.bans()
        let registry = try await store.certificationRegistry()
        return Snapshot(
            certified: registry.certifiedCodes(at: now),
            bannedCAs: Set(bans.compactMap(\.caFingerprint)),
            bannedModels: registry.bannedModels)
    }

    /// Tells the listener what changed since the last push. A failed read is logged and retried next time.
    public func push() async {
        do {
            let current = try await Self.snapshot(store, at: clock.now())
            let previous = pushed.withLock { old -> Snapshot? in
                defer { old = current }
                return old
            }
            if previous?.certified != current.certified {
                listener.certifiedModelsChanged(current.certified)
                // The first push only repeats what start-up precedence already used.
                if previous != nil { profiles.schedule() }
            }
            if previous?.bannedCAs != current.bannedCAs || previous?.bannedModels != current.bannedModels {
                listener.bansChanged(current.bannedCAs, current.bannedModels)
            }
        } catch {
            logger.error("could not read certified models and bans", metadata: ["error": "\(error)"])
        }
    }
}

/// Runs the periodic refresh (certified models, bans, desired profiles) until shutdown.
public struct RegistryRefreshService: Service {
    let sync: RegistrySync
    /// Measures the refresh interval.
    let timer: any Clock<Duration>

    /// Precedence for the whole fleet reads every device: a safety net, not a poll.
    static let profileSafetyNetEvery = 5

    public init(sync: RegistrySync, timer: any Clock<Duration>) {
        self.sync = sync
        self.timer = timer
    }

    public func run() async throws {
        var refreshes = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await timer.sleep(for: RegistrySync.refreshInterval) }
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
