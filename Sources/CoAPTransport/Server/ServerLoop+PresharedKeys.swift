internal import CLibCoap

extension ServerLoop {
    /// Enables PSK beside PKI on the same endpoint (libcoap picks by the client's cipher suites).
    func configurePresharedKeys(_ context: OpaquePointer) throws {
        guard presharedKey != nil else { return }
        bf_spsk_server(&pskSetup, validatePresharedKeyIdentity, Unmanaged.passUnretained(self).toOpaque())
        guard coap_context_set_psk2(context, &pskSetup) == 1 else {
            throw CoAPTransportError(.credentials, "coap_context_set_psk2 failed")
        }
    }
}

/// Looks up the key of a PSK identity (a serial) for the handshake, and binds the identity to the session.
/// Returning nil fails the handshake: an unknown identity learns nothing.
let validatePresharedKeyIdentity: coap_dtls_id_callback_t = { identity, session, argument in
    guard let identity, let session, let argument, identity.pointee.length > 0, identity.pointee.length <= 64,
          let bytes = identity.pointee.s else { return nil }
    let loop = Unmanaged<ServerLoop>.fromOpaque(argument).takeUnretainedValue()
    // An identity names a serial: text, never bytes that only decode with replacement characters.
    guard let name = String(validating: UnsafeBufferPointer(start: bytes, count: identity.pointee.length), as: UTF8.self),
          !name.utf8.contains(0) else { return nil }
    let peer = PeerIdentity(commonName: name, anchorCommonName: "", credential: .presharedKey)
    guard loop.acceptPeer(peer), let key = loop.presharedKey?(name), !key.isEmpty,
          let state = loop.state(of: session, create: true) else {
        loop.logger.notice("refused PSK identity", metadata: ["identity": "\(name)"])
        return nil
    }
    state.identity = peer
    loop.bind(state.handle, to: peer)
    return state.keep(presharedKey: key)
}
