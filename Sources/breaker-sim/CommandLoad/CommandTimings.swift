import Foundation
import Synchronization

/// When each command passed each point, on the one monotonic clock of this process: the issuer (HTTP)
/// and the receiving devices (CoAP loop threads) write to it, keyed by command id. A device may hear of a
/// command before the API call that created it has returned its id, so either side may create the entry.
final class CommandTimings: Sendable {
    struct Entry: Sendable {
        /// Just before the API call that created the command (nil: not issued by this process).
        var called: UInt64?
        /// The API's answer arrived.
        var answered: UInt64?
        /// The device's first notification (or list) naming the command.
        var received: UInt64?
        /// The 2.04 to the device's `POST /v1/commands/{id}`: the server journaled the result.
        var acknowledged: UInt64?
        /// The first `GET /api/v1/commands/{id}` answer showing `done` (an upper bound, see CommandAPI).
        var recorded: UInt64?
        /// Why the device's result was not acknowledged.
        var resultFailure: String?
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let observing = Mutex<Set<String>>([])

    /// A device's observation of `/v1/commands` answered: it can be commanded.
    func observes(_ serial: String) {
        _ = observing.withLock { $0.insert(serial) }
    }

    /// The devices that can be commanded, each once (sessions may share an identity).
    var observingSerials: [String] {
        observing.withLock { $0.sorted() }
    }

    func update(_ id: String, _ change: (inout Entry) -> Void) {
        entries.withLock { change(&$0[id, default: Entry()]) }
    }

    func entry(_ id: String) -> Entry? {
        entries.withLock { $0[id] }
    }

    func entries(_ ids: [String]) -> [Entry] {
        entries.withLock { table in ids.map { table[$0] ?? Entry() } }
    }

    /// Commands a device received that this process did not issue (left over from before, or another
    /// admin's); counted so a report can say the devices saw nothing unexpected.
    func received(where condition: (String, Entry) -> Bool) -> Int {
        entries.withLock { $0.count { condition($0.key, $0.value) } }
    }
}

/// Nanoseconds between two points, in milliseconds (nil when either is missing).
func milliseconds(from start: UInt64?, to end: UInt64?) -> Double? {
    guard let start, let end, end >= start else { return nil }
    return Double(end - start) / 1e6
}
