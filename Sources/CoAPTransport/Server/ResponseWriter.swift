internal import CLibCoap
import Logging

/// Fills a response (or notification) PDU: code, then options in ascending number (ETag 4, Observe 6,
/// Content-Format 12, Max-Age 14, Block2 23, Block1 27, Size2 28, Size1 60), then the payload.
///
/// An answer larger than the session's PDU (`maxSize`, token, options and payload) becomes a 5.00 with a
/// diagnostic and an error in the log, never a 2.xx without its body: the size is checked before anything
/// is written, because libcoap 4.3.1 cannot take an option back out of a PDU. This runs for every request,
/// so it allocates nothing: the options are walked twice (measure, write) over stack buffers.
func writeAnswer(
    _ answer: CoAPResponse, to response: OpaquePointer, maxSize: Int, observe: UInt32? = nil,
    block2: BlockOption? = nil, size2: Int? = nil, block1: BlockOption? = nil, size1: Int? = nil
) {
    let options = AnswerOptions(
        etag: answer.etag, observe: observe, contentFormat: answer.contentFormat.map { UInt32($0.rawValue) },
        maxAge: answer.maxAge, block2: block2?.value, block1: block1?.value,
        size2: size2.map { UInt32(clamping: $0) }, size1: size1.map { UInt32(clamping: $0) })
    let needed = coap_pdu_get_token(response).length + options.encodedSize
        + (answer.payload.isEmpty ? 0 : 1 + answer.payload.count)
    guard needed <= maxSize else {
        libcoapLogger.error("answer does not fit one datagram", metadata: ["bytes": "\(needed)", "code": "\(answer.code)"])
        return writeFailure(to: response, "answer of \(answer.payload.count) bytes does not fit one datagram")
    }
    coap_pdu_set_code(response, bf_response_code(Int32(answer.code.rawValue)))
    let added = options.forEach { number, value in
        coap_add_option(response, coap_option_num_t(number), value.count, value.baseAddress?.assumingMemoryBound(to: UInt8.self)) != 0
    }
    // Cannot fail once the size is checked, unless libcoap runs out of memory: say so, send no 2.xx.
    guard added else { return writeFailure(to: response, "an option could not be added") }
    if !answer.payload.isEmpty {
        let added = answer.payload.withUnsafeBufferPointer { coap_add_data(response, $0.count, $0.baseAddress) }
        guard added != 0 else { return writeFailure(to: response, "payload could not be added") }
    }
}

private func writeFailure(to response: OpaquePointer, _ diagnostic: String) {
    coap_pdu_set_code(response, bf_response_code(500))
    _ = Array(diagnostic.utf8).withUnsafeBufferPointer { coap_add_data(response, $0.count, $0.baseAddress) }
}

/// The options an answer carries, in ascending number.
private struct AnswerOptions {
    let etag: [UInt8]?
    let observe, contentFormat, maxAge, block2, block1, size2, size1: UInt32?

    /// Calls `body` with each present option's number and value (unsigned values in their shortest form,
    /// RFC 7252 §3.2); stops and returns false as soon as `body` does.
    func forEach(_ body: (Int32, UnsafeRawBufferPointer) -> Bool) -> Bool {
        func uint(_ number: Int32, _ value: UInt32?) -> Bool {
            guard let value else { return true }
            var bigEndian = value.bigEndian
            let length = (32 - value.leadingZeroBitCount + 7) / 8
            return withUnsafeBytes(of: &bigEndian) { body(number, UnsafeRawBufferPointer(rebasing: $0[(4 - length)...])) }
        }
        if let etag, !etag.withUnsafeBytes({ body(COAP_OPTION_ETAG, $0) }) { return false }
        return uint(COAP_OPTION_OBSERVE, observe) && uint(COAP_OPTION_CONTENT_FORMAT, contentFormat)
            && uint(COAP_OPTION_MAXAGE, maxAge) && uint(COAP_OPTION_BLOCK2, block2) && uint(COAP_OPTION_BLOCK1, block1)
            && uint(COAP_OPTION_SIZE2, size2) && uint(COAP_OPTION_SIZE1, size1)
    }

    /// Bytes the options take on the wire (RFC 7252 §3.1: a delta/length byte, extended by 1 or 2 bytes each).
    var encodedSize: Int {
        var previous: Int32 = 0
        var size = 0
        _ = forEach { number, value in
            size += 1 + Self.extensionBytes(Int(number - previous)) + Self.extensionBytes(value.count) + value.count
            previous = number
            return true
        }
        return size
    }

    private static func extensionBytes(_ value: Int) -> Int { value < 13 ? 0 : value < 269 ? 1 : 2 }
}
