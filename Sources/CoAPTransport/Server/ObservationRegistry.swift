/// The live observations of a server (RFC 7641) and the notifications waiting to go out. Loop thread only.
///
/// The transport keeps observations itself rather than through libcoap's `coap_resource_notify_observers`,
/// which can only notify every observer of a resource: a profile change for 1 000 devices of a 100 000
/// fleet must reach those 1 000, each with its own representation, at a paced rate.
struct ObservationRegistry {
    struct Key: Hashable {
        let session: CoAPSessionHandle
        let path: String
    }

    struct Observation {
        let token: [UInt8]
        let route: Route
        let peer: PeerIdentity?
    }

    private(set) var observations: [Key: Observation] = [:]
    private var keysByPeer: [String: Set<Key>] = [:]
    private var keysBySession: [CoAPSessionHandle: Set<Key>] = [:]
    /// Notifications to send, oldest first; `queued` keeps a key from being queued twice.
    private var queue: [Key] = []
    private var queueHead = 0
    private var queued: Set<Key> = []
    /// The Observe option's sequence number (24 bits, RFC 7641 §4.4), shared by all observations: it only
    /// has to grow for each one.
    private var sequence: UInt32 = 1

    var count: Int { observations.count }
    var backlog: Int { queue.count - queueHead }

    /// Records (or renews, with its new token) the observation of `key` and returns the sequence number of
    /// the answer that starts it.
    mutating func register(_ key: Key, token: [UInt8], route: Route, peer: PeerIdentity?) -> UInt32 {
        if let peer { keysByPeer[peer.commonName, default: []].insert(key) }
        keysBySession[key.session, default: []].insert(key)
        observations[key] = Observation(token: token, route: route, peer: peer)
        return nextSequence()
    }

    mutating func remove(_ key: Key) {
        guard let removed = observations.removeValue(forKey: key) else { return }
        if let name = removed.peer?.commonName {
            keysByPeer[name]?.remove(key)
            if keysByPeer[name]?.isEmpty == true { keysByPeer[name] = nil }
        }
        keysBySession[key.session]?.remove(key)
        if keysBySession[key.session]?.isEmpty == true { keysBySession[key.session] = nil }
    }

    /// Drops every observation of a session (it closed).
    mutating func removeAll(of session: CoAPSessionHandle) {
        for key in keysBySession[session] ?? [] { remove(key) }
    }

    /// Drops the observation a notification with `token` belonged to (the device answered RST, or never
    /// acknowledged it).
    mutating func remove(session: CoAPSessionHandle, token: [UInt8]) {
        for key in keysBySession[session] ?? [] where observations[key]?.token == token { remove(key) }
    }

    /// Queues a notification of `path` to every session of the peer named `commonName`; returns how many.
    mutating func enqueue(path: String, peer commonName: String) -> Int {
        var added = 0
        for key in keysByPeer[commonName] ?? [] where key.path == path && queued.insert(key).inserted {
            queue.append(key)
            added += 1
        }
        return added
    }

    /// The next queued notification whose observation still exists.
    mutating func dequeue() -> (Key, Observation)? {
        while queueHead < queue.count {
            let key = queue[queueHead]
            queueHead += 1
            queued.remove(key)
            if let observation = observations[key] {
                compactIfDrained()
                return (key, observation)
            }
        }
        compactIfDrained()
        return nil
    }

    mutating func nextSequence() -> UInt32 {
        sequence = (sequence + 1) & 0xFF_FFFF
        return sequence
    }

    private mutating func compactIfDrained() {
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        } else if queueHead > 4096 && queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
    }
}
