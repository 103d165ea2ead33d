internal import CLibCoap

/// What the transport remembers about one libcoap session, kept as the session's app data.
/// libcoap 4.3.1 has no app-data destructor: the loop releases it on COAP_EVENT_SERVER_SESSION_DEL.
final class SessionState {
    /// The session's handle: a number given once and never reused, so a handle kept past the session's end
    /// finds nothing instead of aliasing a later session at the same address.
    let handle: CoAPSessionHandle
    /// CN of the highest certificate of the chain seen so far (the trust anchor once depth 0 is reached).
    var anchorCommonName: String?
    /// SHA-256 of the highest certificate of the chain seen so far (the trust anchor at depth 0).
    var anchorFingerprint: [UInt8] = []
    /// SHA-256 of the certificate at depth 1, the leaf's issuer.
    var issuerFingerprint: [UInt8] = []
    /// Bound once the leaf certificate (or the PSK identity) passed verification and the acceptance check.
    var identity: PeerIdentity? {
        didSet { derivedIdentity = nil }
    }
    /// What the application derived from `identity` (see `CoAPRequest.derivedIdentity`); dropped whenever
    /// the identity changes or is taken away.
    var derivedIdentity: AnyObject?
    /// The PSK handed to libcoap for this session; it must stay valid until libcoap has copied it.
    private var presharedKey: UnsafeMutablePointer<coap_bin_const_t>?

    init(handle: CoAPSessionHandle) {
        self.handle = handle
    }

    func keep(presharedKey key: [UInt8]) -> UnsafePointer<coap_bin_const_t> {
        release()
        let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(key.count, 1))
        bytes.initialize(from: key, count: key.count)
        let holder = UnsafeMutablePointer<coap_bin_const_t>.allocate(capacity: 1)
        holder.initialize(to: coap_bin_const_t(length: key.count, s: bytes))
        presharedKey = holder
        return UnsafePointer(holder)
    }

    private func release() {
        guard let holder = presharedKey else { return }
        let bytes = UnsafeMutablePointer(mutating: holder.pointee.s!)
        bytes.update(repeating: 0, count: holder.pointee.length)
        bytes.deallocate()
        holder.deallocate()
        presharedKey = nil
    }

    deinit { release() }
}

extension ServerLoop {
    /// The state of a session, created (with a new handle) the first time the loop sees the session.
    func state(of session: OpaquePointer, create: Bool) -> SessionState? {
        if let data = coap_session_get_app_data(session) {
            return Unmanaged<SessionState>.fromOpaque(data).takeUnretainedValue()
        }
        guard create else { return nil }
        nextSessionNumber += 1
        let state = SessionState(handle: CoAPSessionHandle(number: nextSessionNumber))
        coap_session_set_app_data(session, Unmanaged.passRetained(state).toOpaque())
        sessions[state.handle] = session
        return state
    }

    /// The live session a handle names, or nil once it closed. Loop thread only.
    func session(_ handle: CoAPSessionHandle) -> OpaquePointer? {
        sessions[handle]
    }

    /// libcoap is about to free `session`: forget everything kept for it.
    func forget(_ session: OpaquePointer) {
        guard let data = coap_session_get_app_data(session) else { return }
        coap_session_set_app_data(session, nil)
        let state = Unmanaged<SessionState>.fromOpaque(data).takeRetainedValue()
        sessions[state.handle] = nil
        liveSessions[state.handle] = nil
        observations.removeAll(of: state.handle)
        blockTransfers.removeAll(of: state.handle)
        endAcknowledgements(of: state.handle)
    }
}
