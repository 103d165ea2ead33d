internal import CLibCoap

// libcoap's client callbacks. Each is a free function that captures nothing (a capturing closure converted
// to a C function pointer crashes swiftc 6.3.1) and recovers its session from the session's app data; a
// session the application has closed has none, and its late callbacks are ignored.

private func clientSession(_ session: OpaquePointer?) -> CoAPClientSession? {
    guard let session, let data = coap_session_get_app_data(session) else { return nil }
    return Unmanaged<CoAPClientSession>.fromOpaque(data).takeUnretainedValue()
}

let clientResponseHandler: coap_response_handler_t = { session, _, received, _ in
    guard let received else { return bf_response_ok() }
    // A closed session's stragglers are acknowledged quietly rather than reset.
    guard let owner = clientSession(session) else { return bf_response_ok() }
    return owner.receive(received) ? bf_response_ok() : bf_response_fail()
}

let clientNackHandler: coap_nack_handler_t = { session, sent, reason, _ in
    guard let owner = clientSession(session) else { return }
    let failure: CoAPClientFailure = switch reason {
    case COAP_NACK_TOO_MANY_RETRIES: .timeout
    case COAP_NACK_RST: .reset
    case COAP_NACK_TLS_FAILED: .tlsFailed
    default: .notDelivered
    }
    owner.fail(sent, reason: failure)
}

let clientEventHandler: coap_event_handler_t = { session, event in
    guard let owner = clientSession(session) else { return 0 }
    switch event {
    case COAP_EVENT_DTLS_CONNECTED:
        owner.didConnect()
    case COAP_EVENT_DTLS_ERROR, COAP_EVENT_DTLS_CLOSED, COAP_EVENT_SESSION_FAILED, COAP_EVENT_SESSION_CLOSED:
        // The server refused the handshake or ended the session (alert, close_notify).
        owner.detach(reporting: .failed(owner.state == .connecting ? .tlsFailed : .closed))
    default:
        break
    }
    return 0
}
