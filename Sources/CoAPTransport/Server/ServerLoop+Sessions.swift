internal import CLibCoap

extension ServerLoop {
    func closeSessions(where matches: @escaping @Sendable (PeerIdentity) -> Bool) {
        perform { [self] in
            let doomed = self.liveSessions.filter { matches($0.value) }
            for (handle, _) in doomed {
                self.liveSessions.removeValue(forKey: handle)
                guard let session = self.session(handle) else { continue }
                // Forget the identity first: nothing may be answered on this session without a new handshake.
                self.state(of: session, create: false)?.identity = nil
                // Outside a libcoap callback nothing else holds the session: keep it alive while libcoap tears
                // down its DTLS state (which may call back into the NACK handler), then let it go.
                coap_session_reference(session)
                coap_session_disconnected(session, COAP_NACK_NOT_DELIVERABLE)
                coap_session_release(session)
            }
            if !doomed.isEmpty { self.logger.notice("closed sessions", metadata: ["count": "\(doomed.count)"]) }
        }
    }

    func bind(_ handle: CoAPSessionHandle, to identity: PeerIdentity) {
        liveSessions[handle] = identity
    }
}
