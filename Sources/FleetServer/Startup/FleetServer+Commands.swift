import DeviceGateway
import FleetDomain
import FleetServices
import Foundation
import Logging

extension FleetServer {
    /// Open commands, and how many finished ones, the device plane loads at start (see `CommandCache`).
    static let warmUpCommandLimit = 100_000
    static let warmUpFinishedLimit = 10_000

    /// Fills the device plane's command cache from the store and connects it to `CommandDelivery`: the
    /// transitions it observes go to the store, and the store's changes come back to it. Before the CoAP
    /// server starts.
    static func startCommandDelivery(
        store: any FleetStore, transitions: CommandTransitions, gateway: DeviceGateway, environment: ServiceEnvironment,
        logger: Logger
    ) async throws -> CommandDelivery {
        let now = environment.wallClock.now()
        let open = try await store.commands(CommandQuery(states: [.queued, .sent, .delivered], limit: warmUpCommandLimit))
            .filter { $0.isPending(at: now) }
        let finished = try await store.commands(CommandQuery(
            states: [.done, .failed, .rejected, .expired, .cancelled], limit: warmUpFinishedLimit))
        if open.count == warmUpCommandLimit {
            logger.warning("more open commands than the device plane loads at start; the rest reach devices as they change",
                           metadata: ["loaded": "\(open.count)"])
        }
        gateway.warmUpCommands(open: open, finished: finished)
        let delivery = CommandDelivery(
            store: store, transitions: transitions, clock: environment.wallClock, timer: environment.timer, logger: logger,
            refresh: { gateway.commandsRefreshed($0, open: $1) })
        gateway.commandEventRecorded = { delivery.record($1, ids: $0, by: $2) }
        return delivery
    }
}
