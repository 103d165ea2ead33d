internal import CLibCoap

/// What the transport remembers about one libcoap session, kept as the session's app data.
/// libcoap 4.3.1 has no app-data destructor: the server releases it on COAP_EVENT_SERVER_SESSION_DEL.
final class SessionState {
    /// CN of the highest certificate of the chain seen so far (the trust anchor once depth 0 is reached).
    var anchorCommonName: String?
    /// Bound once the leaf certificate (or the PSK identity) passed verification and the acceptance check.
    var identity: PeerIdentity? {
        didSet { derivedIdentity = nil }
    }
    /// What the application derived from `identity` (see `CoAPSessionHandle.derivedIdentity`); dropped
    /// whenever the identity changes or is taken away.
    var derivedIdentity: AnyObject?
    /// The PSK handed to libcoap for this session; it must stay valid until libcoap has copied it.
    private var presharedKey: UnsafeMutablePointer<coap_bin_const_t>?

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

extension CoAPSessionHandle {
    /// Something the application derived from this session's peer identity (a validated serial, say), kept
    /// with the session so it is derived once per session instead of once per request. Nil until set, and
    /// again whenever the transport rebinds or drops the identity. Loop thread only, like the handle.
    public var derivedIdentity: AnyObject? {
        get {
            guard let data = coap_session_get_app_data(pointer) else { return nil }
            return Unmanaged<SessionState>.fromOpaque(data).takeUnretainedValue().derivedIdentity
        }
        nonmutating set {
            guard let data = coap_session_get_app_data(pointer) else { return }
            Unmanaged<SessionState>.fromOpaque(data).takeUnretainedValue().derivedIdentity = newValue
        }
    }
}
