internal import CLibCoap

// Knowing that a peer acknowledged a confirmable notification: a probe (CoAP ping) follows it, and the
// probe's RST proves the notification's exchange ended with an ACK (see `NotificationAcknowledgements`).
// The server keeps libcoap's default NSTART of 1 on every session: the proof rests on it.
extension ServerLoop {
    /// A notification with an `acknowledged` callback left as `mid`: probe unless a probe is in flight.
    func track(_ mid: Int32, on session: OpaquePointer, handle: CoAPSessionHandle, callback: @escaping NotificationAcknowledgements.Callback) {
        if acknowledgements.sent(mid, on: handle, callback: callback) { probe(session, handle: handle) }
    }

    /// Sends the probe, an empty confirmable message (libcoap queues it behind the CONs in flight).
    private func probe(_ session: OpaquePointer, handle: CoAPSessionHandle) {
        let mid = coap_session_send_ping(session)
        if mid == COAP_INVALID_MID {
            // Not established any more: its end decides the rest; what is pending now stays unknown.
            for decision in acknowledgements.probeNotSent(on: handle) { decision.call(handle) }
        } else {
            acknowledgements.probeSent(mid, on: handle)
        }
    }

    /// The NACK handler got an empty CON back: one of our probes, answered with RST (the usual end), given
    /// up on, or dropped with its session.
    func probeEnded(_ mid: Int32, on session: OpaquePointer, handle: CoAPSessionHandle, reason: coap_nack_reason_t) {
        guard acknowledgements.isProbe(mid, on: handle) else { return }
        let transmitted = reason == COAP_NACK_RST || reason == COAP_NACK_TOO_MANY_RETRIES
        let (decisions, probeAgain) = acknowledgements.probeEnded(mid, on: handle, transmitted: transmitted)
        for decision in decisions { decision.call(handle) }
        if probeAgain && transmitted { probe(session, handle: handle) }
        if probeAgain && !transmitted {
            for decision in acknowledgements.probeNotSent(on: handle) { decision.call(handle) }
        }
    }

    /// The NACK handler got a notification back: the peer reset it, never acknowledged it, or its session ended.
    func notificationNotAcknowledged(_ mid: Int32, handle: CoAPSessionHandle) {
        acknowledgements.notificationFailed(mid, on: handle)?.call(handle)
    }

    /// The session is gone: every notification still undecided on it counts as not delivered.
    func endAcknowledgements(of handle: CoAPSessionHandle) {
        for decision in acknowledgements.sessionEnded(handle) { decision.call(handle) }
    }
}
