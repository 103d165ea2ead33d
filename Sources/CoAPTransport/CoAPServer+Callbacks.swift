internal import CLibCoap
import Foundation
import Logging

// libcoap's C callbacks. Each is a free function that captures nothing (a capturing closure converted to a
// C function pointer crashes swiftc 6.3.1) and recovers its owner from libcoap's app data with Unmanaged.

private func server(of session: OpaquePointer?) -> CoAPServer? {
    guard let session, let context = coap_session_get_context(session),
          let data = coap_get_app_data(context) else { return nil }
    return Unmanaged<CoAPServer>.fromOpaque(data).takeUnretainedValue()
}

func sessionState(_ session: OpaquePointer?, create: Bool) -> SessionState? {
    guard let session else { return nil }
    if let data = coap_session_get_app_data(session) {
        return Unmanaged<SessionState>.fromOpaque(data).takeUnretainedValue()
    }
    guard create else { return nil }
    let state = SessionState()
    coap_session_set_app_data(session, Unmanaged.passRetained(state).toOpaque())
    return state
}

/// Runs for each certificate of the peer's chain, highest depth first. The identity is the leaf's subject
/// CN read from its DER (libcoap's `cn` argument prefers a SAN), bound to the session at depth 0.
let validateCommonName: coap_dtls_cn_callback_t = { _, der, derLength, session, depth, validated, _ in
    guard validated != 0, let der, let state = sessionState(session, create: true) else { return 0 }
    guard let commonName = subjectCommonName(der, derLength) else { return 0 }
    if depth > 0 {
        if state.anchorCommonName == nil { state.anchorCommonName = commonName }
        return 1
    }
    let identity = PeerIdentity(commonName: commonName, anchorCommonName: state.anchorCommonName ?? "")
    guard let server = server(of: session), server.acceptPeer(identity) else {
        server(of: session)?.logger.notice("refused certificate", metadata: ["cn": "\(commonName)"])
        return 0
    }
    if let session { server.bind(session, to: identity) }
    state.identity = identity
    return 1
}

private func subjectCommonName(_ der: UnsafePointer<UInt8>, _ length: Int) -> String? {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
        let count = bf_subject_cn(der, length, buffer.baseAddress, 256)
        guard count > 0 else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(count)), as: UTF8.self)
    }
}

/// Runs per connection after libcoap's own set-up: adds the extra trust anchors to the shared SSL_CTX
/// (once per SSL_CTX) and turns off resumption.
let additionalTLSSetup: coap_dtls_security_setup_t = { tls, setup in
    guard let tls, let argument = setup?.pointee.cn_call_back_arg else { return 0 }
    let server = Unmanaged<CoAPServer>.fromOpaque(argument).takeUnretainedValue()
    let ssl = OpaquePointer(tls)
    bf_ssl_disable_resumption(ssl)
    return server.trustExtraAnchors(on: ssl) ? 1 : 0
}

extension CoAPServer {
    func trustExtraAnchors(on ssl: OpaquePointer) -> Bool {
        guard let sslContext = bf_ssl_ctx_of(ssl) else { return false }
        // SSL_add_client_CA is per connection, so the anchors are announced each time; the store is shared.
        let firstTime = trustedContexts.insert(sslContext).inserted
        for anchor in configuration.credentials.trustAnchorsDER.dropFirst() {
            let added = anchor.withUnsafeBufferPointer { bf_ssl_ctx_trust_der(ssl, $0.baseAddress, $0.count) }
            if added != 1 && firstTime {
                logger.error("a trust anchor could not be added to the DTLS context")
                return false
            }
        }
        return true
    }
}

let coapEventHandler: coap_event_handler_t = { session, event in
    guard let server = server(of: session) else { return 0 }
    switch event {
    case COAP_EVENT_DTLS_CONNECTED:
        server.statistics.handshakeCompleted()
    case COAP_EVENT_DTLS_ERROR:
        server.statistics.handshakeFailed()
    case COAP_EVENT_SERVER_SESSION_NEW:
        server.statistics.sessionOpened()
    case COAP_EVENT_SERVER_SESSION_DEL:
        server.statistics.sessionClosed()
        if let session, let data = coap_session_get_app_data(session) {
            coap_session_set_app_data(session, nil)
            Unmanaged<SessionState>.fromOpaque(data).release()
        }
        if let session {
            server.unbind(session)
            server.observations.removeAll(of: CoAPSessionHandle(pointer: session))
        }
    default:
        break
    }
    return 0
}

let handleRequest: coap_method_handler_t = { resource, session, request, _, response in
    guard let session, let request, let response else { return }
    let server = server(of: session)
    guard let route = server?.route(for: resource) ?? nil else { return }
    let isSecure = coap_session_get_proto(session) == COAP_PROTO_DTLS
    let peer = isSecure ? sessionState(session, create: false)?.identity : nil
    if isSecure && peer == nil {
        // A DTLS session always has a verified certificate; refuse rather than guess if it somehow has none.
        writeAnswer(.error(.forbidden, "no verified client certificate"), to: response)
        return
    }
    let method = CoAPMethod(rawValue: Int(coap_pdu_get_code(request).rawValue)) ?? .get
    let path = route.path.isEmpty ? requestPath(request) : route.path
    var length = 0, offset = 0, total = 0
    var data: UnsafePointer<UInt8>?
    _ = coap_get_data_large(request, &length, &data, &offset, &total)
    let coapRequest = CoAPRequest(
        method: method, path: path, contentFormat: contentFormat(of: request),
        payload: UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : length),
        peer: peer, session: CoAPSessionHandle(pointer: session),
        // Only observable resources read the Observe option: this runs for every telemetry pack.
        observe: route.observable && method == .get ? observeAction(of: request) : nil,
        isNotification: false)
    let answer = route.handler(coapRequest)
    var sequence: UInt32?
    if route.observable, method == .get, let server {
        sequence = server.observe(coapRequest, route: route, token: token(of: request), answer: answer)
    }
    writeAnswer(answer, to: response, observe: sequence)
}

private func observeAction(of request: OpaquePointer) -> ObserveAction? {
    var iterator = coap_opt_iterator_t()
    guard let option = coap_check_option(request, coap_option_num_t(COAP_OPTION_OBSERVE), &iterator) else { return nil }
    switch coap_decode_var_bytes(coap_opt_value(option), Int(coap_opt_length(option))) {
    case 0: return .register
    case 1: return .deregister
    default: return nil
    }
}

private func token(of request: OpaquePointer) -> [UInt8] {
    let token = coap_pdu_get_token(request)
    guard token.length > 0, let bytes = token.s else { return [] }
    return Array(UnsafeBufferPointer(start: bytes, count: token.length))
}

private func requestPath(_ request: OpaquePointer) -> String {
    guard let uri = coap_get_uri_path(request) else { return "" }
    defer { coap_delete_string(uri) }
    return String(decoding: UnsafeBufferPointer(start: uri.pointee.s, count: uri.pointee.length), as: UTF8.self)
}

private func contentFormat(of request: OpaquePointer) -> ContentFormat? {
    var iterator = coap_opt_iterator_t()
    guard let option = coap_check_option(request, coap_option_num_t(COAP_OPTION_CONTENT_FORMAT), &iterator) else { return nil }
    return ContentFormat(rawValue: UInt16(truncatingIfNeeded: coap_decode_var_bytes(coap_opt_value(option), Int(coap_opt_length(option)))))
}

/// Fills a response (or notification) PDU: code, then options in ascending number (ETag 4, Observe 6,
/// Content-Format 12, Max-Age 14), then the payload.
func writeAnswer(_ answer: CoAPResponse, to response: OpaquePointer, observe: UInt32? = nil) {
    coap_pdu_set_code(response, bf_response_code(Int32(answer.code.rawValue)))
    if let etag = answer.etag {
        etag.withUnsafeBufferPointer { _ = coap_add_option(response, coap_option_num_t(COAP_OPTION_ETAG), $0.count, $0.baseAddress) }
    }
    var buffer = (UInt8(0), UInt8(0), UInt8(0), UInt8(0))
    withUnsafeMutableBytes(of: &buffer) { bytes in
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        if let observe {
            let length = coap_encode_var_safe(base, 4, observe)
            coap_add_option(response, coap_option_num_t(COAP_OPTION_OBSERVE), Int(length), base)
        }
        if let format = answer.contentFormat {
            let length = coap_encode_var_safe(base, 4, UInt32(format.rawValue))
            coap_add_option(response, coap_option_num_t(COAP_OPTION_CONTENT_FORMAT), Int(length), base)
        }
        if let maxAge = answer.maxAge {
            let length = coap_encode_var_safe(base, 4, maxAge)
            coap_add_option(response, coap_option_num_t(COAP_OPTION_MAXAGE), Int(length), base)
        }
    }
    if !answer.payload.isEmpty {
        let added = answer.payload.withUnsafeBufferPointer { coap_add_data(response, $0.count, $0.baseAddress) }
        if added == 0 {
            // Larger than the session's datagram: never send a 2.xx without its body.
            libcoapLogger.error("answer does not fit one datagram", metadata: ["bytes": "\(answer.payload.count)"])
            coap_pdu_set_code(response, bf_response_code(500))
            let diagnostic = Array("answer of \(answer.payload.count) bytes does not fit one datagram".utf8)
            diagnostic.withUnsafeBufferPointer { _ = coap_add_data(response, $0.count, $0.baseAddress) }
        }
    }
}

/// Process-wide libcoap set-up: `coap_startup` and the log handler, once.
enum CoAPLibrary {
    private static let started: Bool = {
        coap_startup()
        coap_set_log_handler(forwardLog)
        coap_set_log_level(coap_log_t(LOG_WARNING))
        coap_dtls_set_log_level(Int32(LOG_WARNING))
        return true
    }()

    static func startOnce(logger: Logger) {
        _ = started
    }
}

/// libcoap's log, through swift-log.
let libcoapLogger = Logger(label: "libcoap")

private let forwardLog: coap_log_handler_t = { level, message in
    guard let message, !EmptyReadLog.swallows(message) else { return }
    var text = String(cString: message)
    while text.last == "\n" { text.removeLast() }
    switch level {
    case ...Int32(LOG_ERR): libcoapLogger.error("\(text)")
    case Int32(LOG_WARNING): libcoapLogger.warning("\(text)")
    case Int32(LOG_NOTICE), Int32(LOG_INFO): libcoapLogger.info("\(text)")
    default: libcoapLogger.debug("\(text)")
    }
}
