/// Remembers the most recent event ids of each device so that a retransmitted event report is answered
/// 2.04 and not counted again.
///
/// Devices retry an event report within seconds (CoAP retransmission, or a retry after a reboot), so a
/// bounded window per device is enough to answer correctly; the store's unique key on (serial, id) is the
/// backstop that keeps even a very old repeat from being counted twice.
public struct EventDeduplicator: Sendable {
    public let windowPerDevice: Int
    private var windows: [Serial: Window] = [:]

    public init(windowPerDevice: Int = 256) {
        precondition(windowPerDevice > 0)
        self.windowPerDevice = windowPerDevice
    }

    /// Records `id` for `serial`; returns true if it was not seen before (a new event).
    public mutating func admit(_ id: String, from serial: Serial) -> Bool {
        windows[serial, default: Window()].insert(id, limit: windowPerDevice)
    }

    public func contains(_ id: String, from serial: Serial) -> Bool {
        windows[serial]?.members.contains(id) ?? false
    }

    /// A ring of ids in arrival order plus a set for O(1) membership.
    private struct Window: Sendable {
        var order: [String] = []
        var next = 0
        var members: Set<String> = []

        mutating func insert(_ id: String, limit: Int) -> Bool {
            guard !members.contains(id) else { return false }
            if order.count < limit {
                order.append(id)
            } else {
                members.remove(order[next])
                order[next] = id
                next = (next + 1) % limit
            }
            members.insert(id)
            return true
        }
    }
}
