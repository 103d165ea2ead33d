internal import CLibCoap
import Logging

/// Fills a response (or notification) PDU: code, then options in ascending number (ETag 4, Observe 6,
/// Content-Format 12, Max-Age 14, Block2 23, Block1 27, Size2 28, Size1 60), then the payload.
///
/// An answer larger than the session's PDU (`maxSize`, token, options and payload) becomes a 5.00 with a
/// diagnostic and an error in the log, never a 2.xx without its body: the size is checked before anything
/// is written, because libcoap 4.3.1 cannot take an option back out of a PDU.
func writeAnswer(
    _ answer: CoAPResponse, to response: OpaquePointer, maxSize: Int, observe: UInt32? = nil,
    block2: BlockOption? = nil, size2: Int? = nil, block1: BlockOption? = nil, size1: Int? = nil
) {
    var options: [(number: Int32, value: [UInt8])] = []
    if let etag = answer.etag { options.append((COAP_OPTION_ETAG, etag)) }
    if let observe { options.append((COAP_OPTION_OBSERVE, uintBytes(observe))) }
    if let format = answer.contentFormat { options.append((COAP_OPTION_CONTENT_FORMAT, uintBytes(UInt32(format.rawValue)))) }
    if let maxAge = answer.maxAge { options.append((COAP_OPTION_MAXAGE, uintBytes(maxAge))) }
    if let block2 { options.append((COAP_OPTION_BLOCK2, uintBytes(block2.value))) }
    if let block1 { options.append((COAP_OPTION_BLOCK1, uintBytes(block1.value))) }
    if let size2 { options.append((COAP_OPTION_SIZE2, uintBytes(UInt32(clamping: size2)))) }
    if let size1 { options.append((COAP_OPTION_SIZE1, uintBytes(UInt32(clamping: size1)))) }

    let needed = coap_pdu_get_token(response).length + encodedSize(options) + (answer.payload.isEmpty ? 0 : 1 + answer.payload.count)
    guard needed <= maxSize else {
        libcoapLogger.error("answer does not fit one datagram", metadata: ["bytes": "\(needed)", "code": "\(answer.code)"])
        return writeFailure(to: response, "answer of \(answer.payload.count) bytes does not fit one datagram")
    }
    coap_pdu_set_code(response, bf_response_code(Int32(answer.code.rawValue)))
    for option in options {
        let added = option.value.withUnsafeBufferPointer {
            coap_add_option(response, coap_option_num_t(option.number), $0.count, $0.baseAddress)
        }
        // Cannot happen once the size is checked, unless libcoap runs out of memory: say so, send no 2.xx.
        guard added != 0 else { return writeFailure(to: response, "option \(option.number) could not be added") }
    }
    if !answer.payload.isEmpty {
        let added = answer.payload.withUnsafeBufferPointer { coap_add_data(response, $0.count, $0.baseAddress) }
        guard added != 0 else { return writeFailure(to: response, "payload could not be added") }
    }
}

private func writeFailure(to response: OpaquePointer, _ diagnostic: String) {
    coap_pdu_set_code(response, bf_response_code(500))
    _ = Array(diagnostic.utf8).withUnsafeBufferPointer { coap_add_data(response, $0.count, $0.baseAddress) }
}

/// An unsigned option value in its shortest form (RFC 7252 §3.2: zero is no bytes at all).
func uintBytes(_ value: UInt32) -> [UInt8] {
    var bytes: [UInt8] = []
    var rest = value
    while rest != 0 {
        bytes.insert(UInt8(rest & 0xFF), at: 0)
        rest >>= 8
    }
    return bytes
}

/// Bytes the options take on the wire (RFC 7252 §3.1: a delta/length byte, extended by 1 or 2 bytes each).
func encodedSize(_ options: [(number: Int32, value: [UInt8])]) -> Int {
    var previous: Int32 = 0
    var size = 0
    for option in options {
        size += 1 + extensionBytes(Int(option.number - previous)) + extensionBytes(option.value.count) + option.value.count
        previous = option.number
    }
    return size
}

private func extensionBytes(_ value: Int) -> Int { value < 13 ? 0 : value < 269 ? 1 : 2 }
