import DeviceWire
import FleetDomain
import Foundation

/// The device plane's copy of each device's commands, so the handlers on the loop thread answer
/// `GET /v1/commands`, `POST /v1/commands/{id}` and the `pending_commands` of registration and heartbeat
/// answers without the store. The store stays the truth: the cache is filled from it at start and refreshed
/// from it whenever a device's commands change (here or on another node); what the device plane itself
/// learns first (a notification sent or acknowledged, a result reported) it applies at once, and a refresh
/// never moves a command back.
struct CommandCache {
    struct Entry: Equatable {
        let id: String
        let action: RemoteAction
        let issued: Date
        let expires: Date
        let inspectedBy: String?
        /// Issue order: commands are listed by it.
        let sequence: Int64
        /// `queued`, `sent` or `delivered`.
        var state: CommandLifecycle.State

        init(_ command: Command) {
            id = command.id
            action = command.action
            issued = command.issuedAt
            expires = command.expiresAt
            inspectedBy = command.inspectedBy
            sequence = command.sequence
            state = command.state
        }

        var listing: CommandListing {
            CommandListing(id: id, action: action, issued: Int64(issued.timeIntervalSince1970.rounded(.down)),
                           expires: Int64(expires.timeIntervalSince1970.rounded(.down)), inspectedBy: inspectedBy)
        }

        /// Its bytes in the list: the fixed members (~95 bytes) and the inspector's name.
        var encodedSize: Int { 100 + (inspectedBy.map { $0.utf8.count + 20 } ?? 0) }

        /// Whether the device should be given it at `now` (as `Command.isPending`).
        func isPending(at now: Date) -> Bool {
            state == .delivered || now < expires
        }
    }

    /// What the cache knows of a command id for one device.
    enum Known: Equatable {
        /// Listed to the device (or about to be).
        case pending
        /// The device reported its result: a repeat of the report changes nothing.
        case reported
        /// It ended otherwise (expired, cancelled, or done as another node saw): a late report still counts.
        case ended
    }

    /// Ended commands remembered per device, newest last: enough to answer a repeated report 2.04.
    static let rememberedPerDevice = 64

    private var pending: [Serial: [Entry]] = [:]
    private var finished: [Serial: [(id: String, known: Known)]] = [:]

    /// Fills the cache at start: every open command, and recently finished ones.
    mutating func warmUp(open: [Command], finished ended: [Command]) {
        for command in ended.sorted(by: { $0.sequence < $1.sequence }) {
            remember(command.id, as: command.lifecycle.result == nil ? .ended : .reported, of: command.serial)
        }
        for (serial, commands) in Dictionary(grouping: open, by: \.serial) {
            _ = refresh(serial, from: commands)
        }
    }

    /// Takes the device's open commands as the store has them. Returns whether a command appeared that the
    /// device was not given yet (it must be told); commands that left the list are remembered as ended.
    mutating func refresh(_ serial: Serial, from commands: [Command]) -> Bool {
        let before = pending[serial] ?? []
        var entries: [Entry] = []
        var appeared = false
        for command in commands.sorted(by: { $0.sequence < $1.sequence }) where command.state.isOpenForDevice {
            if knows(command.id, of: serial) == .reported { continue }
            var entry = Entry(command)
            if let known = before.first(where: { $0.id == command.id }) {
                // What this node learnt first (sent, delivered) is not undone by a store that lags behind.
                if known.state.deliveryRank > entry.state.deliveryRank { entry.state = known.state }
            } else {
                appeared = true
            }
            entries.append(entry)
        }
        for gone in before where !entries.contains(where: { $0.id == gone.id }) {
            remember(gone.id, as: .ended, of: serial)
        }
        pending[serial] = entries.isEmpty ? nil : entries
        return appeared
    }

    /// Bytes of JSON a list may take: answers and notifications are single datagrams (about 1 100 bytes of
    /// payload on a DTLS session), so a long queue is listed a few at a time, oldest first.
    static let listingBudget = 900

    /// The commands to list to the device at `now`: the oldest that fit `listingBudget` (at least one).
    func listing(of serial: Serial, at now: Date) -> [Entry] {
        var bytes = 2
        var listed: [Entry] = []
        for entry in pending[serial] ?? [] where entry.isPending(at: now) {
            bytes += entry.encodedSize + 1
            if bytes > Self.listingBudget && !listed.isEmpty { break }
            listed.append(entry)
        }
        return listed
    }

    /// Whether some pending command of the device was never sent (it did not fit the last list).
    func hasUnsent(of serial: Serial, at now: Date) -> Bool {
        pending[serial]?.contains { $0.state == .queued && $0.isPending(at: now) } ?? false
    }

    func pendingCount(of serial: Serial, at now: Date) -> Int {
        pending[serial]?.count(where: { $0.isPending(at: now) }) ?? 0
    }

    func knows(_ id: String, of serial: Serial) -> Known? {
        if pending[serial]?.contains(where: { $0.id == id }) == true { return .pending }
        return finished[serial]?.last(where: { $0.id == id })?.known
    }

    /// Moves these commands on to `state` (sent, delivered), never back; returns the ids that moved.
    mutating func advance(_ ids: [String], to state: CommandLifecycle.State, of serial: Serial) -> [String] {
        guard var entries = pending[serial] else { return [] }
        var moved: [String] = []
        for index in entries.indices where ids.contains(entries[index].id) && entries[index].state.deliveryRank < state.deliveryRank {
            entries[index].state = state
            moved.append(entries[index].id)
        }
        pending[serial] = entries
        return moved
    }

    /// The device reported its result: the command is no longer listed, and a repeat changes nothing.
    mutating func reported(_ id: String, of serial: Serial) {
        pending[serial]?.removeAll { $0.id == id }
        if pending[serial]?.isEmpty == true { pending[serial] = nil }
        remember(id, as: .reported, of: serial)
    }

    private mutating func remember(_ id: String, as known: Known, of serial: Serial) {
        var list = finished[serial] ?? []
        list.removeAll { $0.id == id }
        list.append((id, known))
        if list.count > Self.rememberedPerDevice { list.removeFirst(list.count - Self.rememberedPerDevice) }
        finished[serial] = list
    }
}

extension CommandLifecycle.State {
    /// The states in which a device is given the command.
    var isOpenForDevice: Bool { self == .queued || self == .sent || self == .delivered }

    /// How far delivery got: queued < sent < delivered.
    var deliveryRank: Int {
        switch self {
        case .queued: 0
        case .sent: 1
        case .delivered: 2
        default: -1
        }
    }
}
