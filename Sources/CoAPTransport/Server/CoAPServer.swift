import Foundation
import Logging

/// A CoAP/DTLS server on libcoap 4.3.1: one loop thread owns the libcoap context (see `ServerLoop`), and
/// resource handlers run on that thread, answering from memory.
///
/// Dropping the last reference to a running server stops it, like `stop()`: the loop thread holds the
/// loop, not this object.
public final class CoAPServer: Sendable {
    let loop: ServerLoop

    public var configuration: CoAPServerConfiguration { loop.configuration }
    public var statistics: TransportStatistics { loop.statistics }
    /// Identifies the loop thread, for state that only it may touch (`LoopConfined`).
    public var loopOwner: LoopOwner { loop.owner }

    public init(
        configuration: CoAPServerConfiguration, logger: Logger,
        acceptPeer: @escaping @Sendable (PeerIdentity) -> Bool = { _ in true },
        presharedKey: (@Sendable (String) -> [UInt8]?)? = nil
    ) throws {
        loop = try ServerLoop(configuration: configuration, logger: logger, acceptPeer: acceptPeer, presharedKey: presharedKey)
    }

    deinit { loop.stop() }

    /// Adds a resource before `start()`. The handler answers every method; `attributes` go into
    /// `/.well-known/core` (e.g. `("ct", "50")`). An `observable` resource keeps an observation for each
    /// successful GET with Observe 0 (and lists `obs`); `notifyObservers` then re-runs its handler for
    /// each observing peer. Request bodies sent block-wise (Block1) reach the handler whole. With
    /// `blockwiseAnswers`, a successful answer too large for a datagram goes out block by block (Block2;
    /// the handler runs again for each block, so its answer must not change between them); `readsAccept`
    /// fills `CoAPRequest.accept`.
    public func addResource(
        _ path: String, attributes: [(String, String)] = [], observable: Bool = false, blockwiseAnswers: Bool = false,
        readsAccept: Bool = false, handler: @escaping CoAPHandler
    ) {
        loop.addResource(path, attributes: attributes, observable: observable, blockwiseAnswers: blockwiseAnswers,
                         readsAccept: readsAccept, handler: handler)
    }

    /// Adds a handler, before `start()`, for every path that starts with `prefix` and names no resource of
    /// its own (`v1/commands/` serves `v1/commands/{id}`); `CoAPRequest.path` is the whole path.
    public func addResources(under prefix: String, handler: @escaping CoAPHandler) {
        loop.addResources(under: prefix, handler: handler)
    }

    /// Runs `work` on the loop thread, where libcoap may be called.
    public func perform(_ work: @escaping @Sendable () -> Void) {
        loop.perform(work)
    }

    /// Creates the context and endpoints on a new loop thread; returns once it listens or throws why not.
    public func start() throws {
        try loop.start()
    }

    /// Stops the loop, closes every session (with close_notify) and frees the context.
    public func stop() {
        loop.stop()
    }

    /// Queues a notification of `path` to every session of these peers (by certificate CN or PSK identity)
    /// that observes it, in one trip to the loop thread. Any thread; the content is built when the
    /// notification leaves, so it is always the latest state and several changes in a row send one.
    public func notifyObservers(of path: String, peers commonNames: [String]) {
        loop.notifyObservers(of: path, peers: commonNames)
    }

    /// Closes every live session whose peer identity matches (sending close_notify on DTLS), so a device
    /// whose certificate was just revoked or banned loses its connection at once instead of at its next
    /// handshake, where the acceptance check refuses it. Callable from any thread; runs on the loop thread.
    public func closeSessions(where matches: @escaping @Sendable (PeerIdentity) -> Bool) {
        loop.closeSessions(where: matches)
    }
}
