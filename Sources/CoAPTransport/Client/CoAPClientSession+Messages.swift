internal import CLibCoap

// Building requests and matching what comes back to them, on the loop thread.
extension CoAPClientSession {
    /// Builds and sends one request PDU; false if libcoap refused it.
    func transmit(_ request: CoAPClientRequest, token: UInt32, observe: Bool, on session: OpaquePointer) -> Bool {
        guard let pdu = bf_request_pdu(session, request.confirmable ? 1 : 0, Int32(request.method.rawValue)) else {
            return false
        }
        var tokenBytes = token.bigEndian
        var ok = withUnsafeBytes(of: &tokenBytes) { coap_add_token(pdu, 4, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) } == 1
        // Options in increasing number: Observe (6), Uri-Path (11), Content-Format (12).
        if observe { ok = ok && coap_add_option(pdu, coap_option_num_t(COAP_OPTION_OBSERVE), 0, nil) != 0 }
        for segment in request.segments {
            ok = ok && segment.withUnsafeBufferPointer {
                coap_add_option(pdu, coap_option_num_t(COAP_OPTION_URI_PATH), $0.count, $0.baseAddress)
            } != 0
        }
        if let format = request.contentFormat {
            ok = ok && addUIntOption(pdu, COAP_OPTION_CONTENT_FORMAT, UInt32(format.rawValue))
        }
        // Block1 (27) and Size1 (60) follow Content-Format (12).
        if let block1 = request.block1 { ok = ok && addUIntOption(pdu, COAP_OPTION_BLOCK1, block1.value) }
        if let size1 = request.size1 { ok = ok && addUIntOption(pdu, COAP_OPTION_SIZE1, UInt32(clamping: size1)) }
        if !request.payload.isEmpty {
            ok = ok && request.payload.withUnsafeBufferPointer { coap_add_data(pdu, $0.count, $0.baseAddress) } == 1
        }
        guard ok else {
            coap_delete_pdu(pdu)
            return false
        }
        // coap_send takes the PDU in every case.
        return coap_send(session, pdu) != COAP_INVALID_MID
    }

    private func addUIntOption(_ pdu: OpaquePointer, _ number: Int32, _ value: UInt32) -> Bool {
        var buffer: UInt32 = 0
        return withUnsafeMutableBytes(of: &buffer) { bytes in
            let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let length = coap_encode_var_safe(base, 4, value)
            return coap_add_option(pdu, coap_option_num_t(number), Int(length), base)
        } != 0
    }

    /// A response or notification from libcoap's response handler; false means "not ours" (libcoap then
    /// answers a confirmable one with RST, which also ends a stale observation on the server).
    func receive(_ pdu: OpaquePointer) -> Bool {
        guard let token = Self.token(of: pdu) else { return false }
        let now = LoopTimers.now()
        if let request = pending.removeValue(forKey: token) {
            request.completion(.success(Self.response(pdu, latency: now &- request.sentAt)))
            return true
        }
        guard let observer = observers[token] else { return false }
        let response = Self.response(pdu, latency: now &- observer.registeredAt)
        // RFC 7641 §3.2: an error, or an answer without Observe, ends the observation.
        if !response.code.isSuccess || response.observe == nil { observers[token] = nil }
        observer.handler(.success(response))
        return true
    }

    /// A confirmable request libcoap gave up on.
    func fail(_ pdu: OpaquePointer?, reason: CoAPClientFailure) {
        guard let pdu, let token = Self.token(of: pdu) else { return }
        if let request = pending.removeValue(forKey: token) {
            request.completion(.failure(reason))
        } else if let observer = observers.removeValue(forKey: token) {
            observer.handler(.failure(reason))
        }
    }

    private static func token(of pdu: OpaquePointer) -> UInt32? {
        let token = coap_pdu_get_token(pdu)
        guard token.length == 4, let bytes = token.s else { return nil }
        return UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
    }

    private static func response(_ pdu: OpaquePointer, latency: UInt64) -> CoAPClientResponse {
        var length = 0, offset = 0, total = 0
        var data: UnsafePointer<UInt8>?
        _ = coap_get_data_large(pdu, &length, &data, &offset, &total)
        let format = bf_uint_option(pdu, UInt16(COAP_OPTION_CONTENT_FORMAT))
        let observe = bf_uint_option(pdu, UInt16(COAP_OPTION_OBSERVE))
        let block1 = bf_uint_option(pdu, UInt16(COAP_OPTION_BLOCK1))
        let size1 = bf_uint_option(pdu, UInt16(COAP_OPTION_SIZE1))
        return CoAPClientResponse(
            code: CoAPCode(rawValue: Int(bf_pdu_code_number(pdu))),
            contentFormat: format >= 0 ? ContentFormat(rawValue: UInt16(truncatingIfNeeded: format)) : nil,
            payload: data.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? [],
            observe: observe >= 0 ? UInt32(truncatingIfNeeded: observe) : nil,
            block1: block1 >= 0 ? BlockOption(value: UInt64(block1)) : nil,
            size1: size1 >= 0 ? Int(size1) : nil,
            latencyNanoseconds: latency)
    }
}
