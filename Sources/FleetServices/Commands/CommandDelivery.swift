import FleetDomain
import Foundation
import Logging
import ServiceLifecycle

/// The store side of command delivery, off the CoAP loop thread:
///
/// - `changed(serial)` (the admin side issued, approved or cancelled a command): re-reads the device's open
///   commands and hands them to the device plane (`refresh`), which pushes what is new to a connected
///   device; an offline one learns of them at its next contact (`pending_commands`);
/// - `record(_:ids:by:)`: what the device plane did (a command `sent`, `delivered`), through
///   `CommandTransitions`, in the order it happened;
/// - every `interval`: expires commands whose TTL passed (their devices are refreshed: an expired command
///   is never listed again), and refreshes every device whose commands another node changed
///   (`devicesWithCommandChanges`, one indexed query), so a command issued on any node reaches the node
///   that holds the device's session.
public final class CommandDelivery: Service, Sendable {
    public typealias Refresh = @Sendable (_ serial: Serial, _ open: [Command]) -> Void

    private enum Work: Sendable {
        case refresh(Serial)
        case record(CommandLifecycle.Event, [String], Serial)
    }

    private let store: any CommandStore
    private let transitions: CommandTransitions
    private let clock: any WallClock
    private let timer: any Clock<Duration>
    private let interval: Duration
    private let logger: Logger
    private let refresh: Refresh
    private let work: AsyncStream<Work>
    private let input: AsyncStream<Work>.Continuation

    public init(
        store: any CommandStore, transitions: CommandTransitions, clock: any WallClock, timer: any Clock<Duration>,
        interval: Duration = .seconds(1), logger: Logger, refresh: @escaping Refresh
    ) {
        self.store = store
        self.transitions = transitions
        self.clock = clock
        self.timer = timer
        self.interval = interval
        self.logger = logger
        self.refresh = refresh
        (work, input) = AsyncStream.makeStream(of: Work.self)
    }

    /// The device's commands changed in the store. Any thread; returns at once.
    public func changed(_ serial: Serial) {
        input.yield(.refresh(serial))
    }

    /// The device plane sent commands to `serial` or learnt it received them. Any thread; returns at once.
    public func record(_ event: CommandLifecycle.Event, ids: [String], by serial: Serial) {
        input.yield(.record(event, ids, serial))
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.drain() }
                group.addTask { await self.sweep() }
            }
        } onGracefulShutdown: {
            self.input.finish()
        }
    }

    /// One consumer, so a device's refreshes and transitions happen in the order they were asked for.
    private func drain() async {
        for await item in work {
            switch item {
            case .refresh(let serial):
                await reload(serial)
            case .record(let event, let ids, let serial):
                let actor: CommandTransitions.Actor = event == .sent ? .server : .device(serial)
                for id in ids {
                    do {
                        try await transitions.apply(id, event, at: clock.now(), by: actor)
                    } catch {
                        logger.error("could not record a command transition", metadata: ["command": "\(id)", "error": "\(error)"])
                    }
                }
            }
        }
    }

    private func reload(_ serial: Serial) async {
        do {
            refresh(serial, try await store.pendingCommands(of: serial, at: clock.now()))
        } catch {
            logger.error("could not read a device's commands", metadata: ["serial": "\(serial)", "error": "\(error)"])
        }
    }

    /// Expiry and changes from other nodes, every `interval` until shutdown.
    private func sweep() async {
        // From a second before the start: the warm-up read the store just before.
        var since = clock.now().addingTimeInterval(-1)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await self.timer.sleep(for: self.interval) }
            } catch {
                return
            }
            do {
                let expired = try await transitions.expire(at: clock.now())
                for serial in Set(expired.map(\.serial)) { changed(serial) }
                let changes = try await store.devicesWithCommandChanges(since: since)
                if let newest = changes.newest { since = max(since, newest) }
                for serial in changes.serials { changed(serial) }
            } catch {
                logger.error("command sweep failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
