internal import CLibCoap

extension CoAPServer {
    /// Closes every live session whose peer identity matches (sending close_notify on DTLS), so a device
    /// whose certificate was just revoked or banned loses its connection at once instead of at its next
    /// handshake, where the acceptance check refuses it. Callable from any thread; runs on the loop thread.
    public func closeSessions(where matches: @escaping @Sendable (PeerIdentity) -> Bool) {
        perform { [self] in
            let doomed = self.liveSessions.filter { matches($0.value) }
            for (handle, _) in doomed {
                self.liveSessions.removeValue(forKey: handle)
                // Forget the identity first: nothing may be answered on this session without a new handshake.
                if let data = coap_session_get_app_data(handle.pointer) {
                    Unmanaged<SessionState>.fromOpaque(data).takeUnretainedValue().identity = nil
                }
                coap_session_disconnected(handle.pointer, COAP_NACK_NOT_DELIVERABLE)
            }
            if !doomed.isEmpty { self.logger.notice("closed sessions", metadata: ["count": "\(doomed.count)"]) }
        }
    }

    func bind(_ session: OpaquePointer, to identity: PeerIdentity) {
        liveSessions[CoAPSessionHandle(pointer: session)] = identity
    }

    func unbind(_ session: OpaquePointer) {
        liveSessions.removeValue(forKey: CoAPSessionHandle(pointer: session))
    }
}
