/// What the transport remembers about one libcoap session, kept as the session's app data.
/// libcoap 4.3.1 has no app-data destructor: the server releases it on COAP_EVENT_SERVER_SESSION_DEL.
final class SessionState {
    /// CN of the highest certificate of the chain seen so far (the trust anchor once depth 0 is reached).
    var anchorCommonName: String?
    /// Bound once the leaf certificate passed verification and the server's acceptance check.
    var identity: PeerIdentity?
}
