internal import CLibCoap
import Dispatch
import Foundation

// Observe (RFC 7641) on the server: observations are kept in `ObservationRegistry`, notifications are
// confirmable and built by re-running the resource's handler for the observing peer, and they leave at
// `notificationsPerSecond` so a push to a large fleet never starves the devices' own requests.
extension ServerLoop {
    /// Queues a notification of `path` to every session of these peers (by certificate CN or PSK identity)
    /// that observes it, in one trip to the loop thread. Any thread; the content is built when the
    /// notification leaves, so it is always the latest state and several changes in a row send one.
    func notifyObservers(of path: String, peers commonNames: [String]) {
        guard !commonNames.isEmpty else { return }
        perform { [self] in
            var added = 0
            for name in commonNames { added += observations.enqueue(path: path, peer: name) }
            if added > 0 { startPacing() }
        }
    }

    /// Called by the request callback for a GET on an observable resource: starts, renews or ends the
    /// observation and returns the Observe value for the answer, if it starts or renews one.
    func observe(_ request: CoAPRequest, route: Route, token: [UInt8], answer: CoAPResponse) -> UInt32? {
        let key = ObservationRegistry.Key(session: request.session, path: route.path)
        switch request.observe {
        case .register where (200..<300).contains(answer.code.rawValue):
            return observations.register(key, token: token, route: route, peer: request.peer)
        case .register, .deregister:
            // Deregistration, or an error answer to a registration, ends it (RFC 7641 §3.2, §3.6).
            observations.remove(key)
            return nil
        case nil:
            // A plain GET (another token) leaves an observation alone.
            return nil
        }
    }

    // MARK: - Pacing

    /// Sends queued notifications in slices of `pacingTick`, at most `notificationsPerSecond` a second.
    func startPacing() {
        guard pacingTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: pacingQueue)
        let tick = ServerLoop.pacingTick
        timer.schedule(deadline: .now(), repeating: tick, leeway: .milliseconds(1))
        timer.setEventHandler { [weak self] in
            self?.perform { [weak self] in self?.sendDueNotifications() }
        }
        pacingTimer = timer
        timer.resume()
    }

    private func sendDueNotifications() {
        guard context != nil else { return }
        let perTick = max(1, Int(Double(configuration.notificationsPerSecond) * ServerLoop.pacingTickSeconds))
        var sent = 0
        while sent < perTick, let (key, observation) = observations.dequeue() {
            send(key, observation)
            sent += 1
        }
        if observations.backlog == 0 {
            pacingTimer?.cancel()
            pacingTimer = nil
        }
    }

    private func send(_ key: ObservationRegistry.Key, _ observation: ObservationRegistry.Observation) {
        guard let session = session(key.session) else {
            // The session closed after the notification was queued (its observations went with it).
            observations.remove(key)
            return
        }
        let request = CoAPRequest(
            method: .get, path: key.path, contentFormat: nil, payload: UnsafeRawBufferPointer(start: nil, count: 0),
            peer: observation.peer, session: key.session, observe: nil, isNotification: true,
            sessionState: state(of: session, create: false), accept: nil)
        let answer = observation.route.handler(request)
        let succeeded = (200..<300).contains(answer.code.rawValue)
        let maxSize = coap_session_max_pdu_size(session)
        guard let pdu = coap_pdu_init(COAP_MESSAGE_CON, bf_response_code(Int32(answer.code.rawValue)),
                                      coap_mid_t(coap_new_message_id(session)), maxSize) else {
            statistics.notificationFailed()
            return
        }
        guard observation.token.withUnsafeBufferPointer({ coap_add_token(pdu, $0.count, $0.baseAddress) }) == 1 else {
            coap_delete_pdu(pdu)
            statistics.notificationFailed()
            return
        }
        writeAnswer(answer, to: pdu, maxSize: maxSize, observe: succeeded ? observations.nextSequence() : nil)
        let mid = coap_send(session, pdu)
        if mid == COAP_INVALID_MID {
            statistics.notificationFailed()
            answer.acknowledged?(key.session, false)
        } else {
            statistics.notificationSent()
            if let acknowledged = answer.acknowledged { track(mid, on: session, handle: key.session, callback: acknowledged) }
        }
        // A notification with an error code ends the observation (RFC 7641 §3.2).
        if !succeeded { observations.remove(key) }
    }
}

/// A confirmable message the device rejected (RST), never acknowledged, or that its session's end dropped.
/// A notification's observation is over (RFC 7641 §3.6; the device registers again when it comes back),
/// and whoever waited for its acknowledgement hears "not delivered". An empty message is one of our probes
/// (`ServerLoop+Acknowledgements`): its token is empty like a notification's may be, so it must never be
/// taken for the end of an observation.
let coapNackHandler: coap_nack_handler_t = { session, sent, reason, mid in
    guard let session, let sent, let loop = serverLoop(of: session),
          let state = loop.state(of: session, create: false) else { return }
    if coap_pdu_get_code(sent) == COAP_EMPTY_CODE {
        loop.probeEnded(mid, on: session, handle: state.handle, reason: reason)
        return
    }
    loop.notificationNotAcknowledged(mid, handle: state.handle)
    guard reason == COAP_NACK_RST || reason == COAP_NACK_TOO_MANY_RETRIES else { return }
    let token = coap_pdu_get_token(sent)
    let bytes = token.length == 0 ? [] : Array(UnsafeBufferPointer(start: token.s, count: token.length))
    loop.observations.remove(session: state.handle, token: bytes)
}
