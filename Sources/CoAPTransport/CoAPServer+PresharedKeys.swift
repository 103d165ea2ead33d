internal import CLibCoap

extension CoAPServer {
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
    let server = Unmanaged<CoAPServer>.fromOpaque(argument).takeUnretainedValue()
    let name = String(decoding: UnsafeBufferPointer(start: bytes, count: identity.pointee.length), as: UTF8.self)
    let peer = PeerIdentity(commonName: name, anchorCommonName: "", credential: .presharedKey)
    guard server.acceptPeer(peer), let key = server.presharedKey?(name), !key.isEmpty,
          let state = sessionState(session, create: true) else {
        server.logger.notice("refused PSK identity", metadata: ["identity": "\(name)"])
        return nil
    }
    state.identity = peer
    server.bind(session, to: peer)
    return state.keep(presharedKey: key)
}
