internal import CLibCoap
import Foundation
import Logging

// libcoap's C callbacks. Each is a free function that captures nothing (a capturing closure converted to a
// C function pointer crashes swiftc 6.3.1) and recovers its owner from libcoap's app data with Unmanaged.

func serverLoop(of session: OpaquePointer?) -> ServerLoop? {
    guard let session, let context = coap_session_get_context(session),
          let data = coap_get_app_data(context) else { return nil }
    return Unmanaged<ServerLoop>.fromOpaque(data).takeUnretainedValue()
}

/// Runs for each certificate of the peer's chain, highest depth first. The identity is the leaf's subject
/// CN read from its DER (libcoap's `cn` argument prefers a SAN), bound to the session at depth 0.
let validateCommonName: coap_dtls_cn_callback_t = { _, der, derLength, session, depth, validated, _ in
    guard validated != 0, let der, let session, let loop = serverLoop(of: session),
          let state = loop.state(of: session, create: true) else { return 0 }
    let facts: SubjectCommonName.Facts
    switch SubjectCommonName.read(der, derLength) {
    case .success(let read):
        facts = read
    case .failure(let refusal):
        loop.logger.notice("refused certificate", metadata: ["depth": "\(depth)", "reason": "\(refusal)"])
        return 0
    }
    let commonName = facts.commonName
    let fingerprint = sha256(der, derLength)
    if depth > 0 {
        // Highest depth first: the first certificate seen is the trust anchor, depth 1 the leaf's issuer.
        if state.anchorCommonName == nil {
            state.anchorCommonName = commonName
            state.anchorFingerprint = fingerprint
        }
        if depth == 1 { state.issuerFingerprint = fingerprint }
        return 1
    }
    let identity = PeerIdentity(
        commonName: commonName, anchorCommonName: state.anchorCommonName ?? "", certificateFingerprint: fingerprint,
        issuerFingerprint: state.issuerFingerprint, anchorFingerprint: state.anchorFingerprint,
        publicKeyFingerprint: facts.publicKeyFingerprint, notBefore: facts.notBefore, notAfter: facts.notAfter)
    guard loop.acceptPeer(identity) else {
        loop.logger.notice("refused certificate", metadata: ["cn": "\(commonName)"])
        return 0
    }
    loop.bind(state.handle, to: identity)
    state.identity = identity
    return 1
}

/// SHA-256 of a certificate's DER, its fingerprint (a few µs, once per certificate per handshake).
private func sha256(_ der: UnsafePointer<UInt8>, _ length: Int) -> [UInt8] {
    var digest = [UInt8](repeating: 0, count: 32)
    guard bf_sha256(der, length, &digest) == 1 else { return [] }
    return digest
}

/// Runs per connection after libcoap's own set-up: adds the extra trust anchors to the shared SSL_CTX
/// (once per SSL_CTX) and turns off resumption.
let additionalTLSSetup: coap_dtls_security_setup_t = { tls, setup in
    guard let tls, let argument = setup?.pointee.cn_call_back_arg else { return 0 }
    let loop = Unmanaged<ServerLoop>.fromOpaque(argument).takeUnretainedValue()
    let ssl = OpaquePointer(tls)
    bf_ssl_disable_resumption(ssl)
    return loop.trustExtraAnchors(on: ssl) ? 1 : 0
}

extension ServerLoop {
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
    guard let loop = serverLoop(of: session) else { return 0 }
    switch event {
    case COAP_EVENT_DTLS_CONNECTED:
        loop.statistics.handshakeCompleted()
    case COAP_EVENT_DTLS_ERROR:
        loop.statistics.handshakeFailed()
    case COAP_EVENT_SERVER_SESSION_NEW:
        loop.statistics.sessionOpened()
    case COAP_EVENT_SERVER_SESSION_DEL:
        loop.statistics.sessionClosed()
        if let session { loop.forget(session) }
    default:
        break
    }
    return 0
}

let handleRequest: coap_method_handler_t = { resource, session, request, _, response in
    guard let session, let request, let response, let loop = serverLoop(of: session),
          let route = loop.route(for: resource), let state = loop.state(of: session, create: true) else { return }
    let maxSize = Int(coap_session_max_pdu_size(session))
    let isSecure = coap_session_get_proto(session) == COAP_PROTO_DTLS
    let peer = isSecure ? state.identity : nil
    if isSecure && peer == nil {
        // A DTLS session always has a verified certificate; refuse rather than guess if it somehow has none.
        writeAnswer(.error(.forbidden, "no verified client certificate"), to: response, maxSize: maxSize)
        return
    }
    let method = CoAPMethod(rawValue: Int(coap_pdu_get_code(request).rawValue)) ?? .get
    let path = route.path.isEmpty ? requestPath(request) : route.path
    var length = 0, offset = 0, total = 0
    var data: UnsafePointer<UInt8>?
    _ = coap_get_data_large(request, &length, &data, &offset, &total)
    let payload = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : length)
    let format = contentFormat(of: request)

    let call = { (body: UnsafeRawBufferPointer, block1: BlockOption?) in
        let coapRequest = CoAPRequest(
            method: method, path: path, contentFormat: format, payload: body, peer: peer, session: state.handle,
            // Only observable resources read the Observe option: this runs for every telemetry pack.
            observe: route.observable && method == .get ? observeAction(of: request) : nil,
            isNotification: false, sessionState: state,
            accept: route.readsAccept ? uintOption(request, COAP_OPTION_ACCEPT).map { ContentFormat(rawValue: UInt16(truncatingIfNeeded: $0)) } : nil)
        let answer = route.handler(coapRequest)
        var sequence: UInt32?
        if route.observable, method == .get {
            sequence = loop.observe(coapRequest, route: route, token: token(of: request), answer: answer)
        } else if route.blockwiseAnswers, answer.code.isSuccess {
            return writeBlock(answer, of: request, to: response, maxSize: maxSize, block1: block1)
        }
        writeAnswer(answer, to: response, maxSize: maxSize, observe: sequence, block1: block1)
    }

    guard let block = block1Option(of: request) else { return call(payload, nil) }
    let key = Block1Assembler.Key(session: state.handle, path: path, requestTag: requestTag(of: request))
    switch loop.blockTransfers.receive(
        block, payload: payload, size1: size1Option(of: request), contentFormat: format, key: key,
        now: bf_monotonic_ns()) {
    case .complete(let body, let last):
        body.withUnsafeBytes { call($0, last) }
    case .proceed(let block):
        writeAnswer(CoAPResponse(.continue), to: response, maxSize: maxSize, block1: block)
    case .refuse(let code, let diagnostic, let size1):
        writeAnswer(.error(code, diagnostic), to: response, maxSize: maxSize, size1: size1)
    }
}

/// A successful answer of a resource that may be larger than a datagram: the block the client asked for
/// (Block2), or block 0 with Size2 when it did not ask and the answer does not fit whole.
private func writeBlock(_ answer: CoAPResponse, of request: OpaquePointer, to response: OpaquePointer, maxSize: Int, block1: BlockOption?) {
    let requested = blockOption(of: request, COAP_OPTION_BLOCK2)
    // Room for the payload: the PDU less the token, the options this answer may carry and the marker.
    let overhead = coap_pdu_get_token(request).length + 32 + (answer.etag?.count ?? 0) + 1
    let whole = requested == nil && answer.payload.count + overhead <= maxSize
    guard !whole else { return writeAnswer(answer, to: response, maxSize: maxSize, block1: block1) }
    guard let exponent = Block2Slicer.largestExponent(fitting: maxSize - overhead),
          let (option, range) = Block2Slicer.block(total: answer.payload.count, requested: requested, largestFitting: exponent) else {
        return writeAnswer(.error(.badOption, "Block2 past the end of a \(answer.payload.count)-byte answer"), to: response, maxSize: maxSize)
    }
    var slice = answer
    slice.payload = Array(answer.payload[range])
    writeAnswer(slice, to: response, maxSize: maxSize, block2: option, size2: option.number == 0 ? answer.payload.count : nil, block1: block1)
}

private func observeAction(of request: OpaquePointer) -> ObserveAction? {
    switch uintOption(request, COAP_OPTION_OBSERVE) {
    case 0: return .register
    case 1: return .deregister
    default: return nil
    }
}

private func block1Option(of request: OpaquePointer) -> BlockOption? {
    blockOption(of: request, COAP_OPTION_BLOCK1)
}

private func blockOption(of request: OpaquePointer, _ number: Int32) -> BlockOption? {
    var iterator = coap_opt_iterator_t()
    guard let option = coap_check_option(request, coap_option_num_t(number), &iterator) else { return nil }
    // Longer than 3 bytes is malformed (RFC 7959 §2.2); libcoap decodes at most 4, so check the length first.
    guard coap_opt_length(option) <= 3 else { return BlockOption(number: 0, more: false, sizeExponent: 7) }
    return BlockOption(value: UInt64(coap_decode_var_bytes(coap_opt_value(option), Int(coap_opt_length(option)))))
}

private func size1Option(of request: OpaquePointer) -> Int? {
    uintOption(request, COAP_OPTION_SIZE1).map(Int.init)
}

private func uintOption(_ request: OpaquePointer, _ number: Int32) -> UInt32? {
    var iterator = coap_opt_iterator_t()
    guard let option = coap_check_option(request, coap_option_num_t(number), &iterator) else { return nil }
    return coap_decode_var_bytes(coap_opt_value(option), Int(coap_opt_length(option)))
}

private func requestTag(of request: OpaquePointer) -> [UInt8] {
    var iterator = coap_opt_iterator_t()
    guard let option = coap_check_option(request, coap_option_num_t(COAP_OPTION_RTAG), &iterator),
          let value = coap_opt_value(option) else { return [] }
    return Array(UnsafeBufferPointer(start: value, count: Int(coap_opt_length(option))))
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
    uintOption(request, COAP_OPTION_CONTENT_FORMAT).map { ContentFormat(rawValue: UInt16(truncatingIfNeeded: $0)) }
}
