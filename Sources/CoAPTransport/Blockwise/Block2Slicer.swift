/// Answers larger than one datagram, sent block by block with Block2 (RFC 7959 §2.4): the server re-runs
/// the handler for each block the client asks for and sends that slice, so nothing is kept between blocks.
/// Fit for representations that do not change between a client's block requests (CA certificates,
/// release metadata); a changing one would also need an ETag.
enum Block2Slicer {
    /// The block to send of a body of `total` bytes: the one asked for (in the client's size, or smaller
    /// if that does not fit), or block 0 when the client did not ask. Nil when the asked block starts past
    /// the end.
    static func block(total: Int, requested: BlockOption?, largestFitting: UInt8) -> (option: BlockOption, range: Range<Int>)? {
        let exponent = min(requested.map { min($0.sizeExponent, 6) } ?? 6, largestFitting)
        let size = 16 << Int(exponent)
        // A client asking with a larger size than we send: its block number counts in its own size.
        let offset = requested.map { $0.offset } ?? 0
        guard offset < total || (offset == 0 && total == 0) else { return nil }
        let end = min(offset + size, total)
        let option = BlockOption(number: UInt32(offset / size), more: end < total, sizeExponent: exponent)
        return (option, offset..<end)
    }

    /// The largest block size exponent whose block fits `room` bytes of payload.
    static func largestExponent(fitting room: Int) -> UInt8? {
        var exponent: UInt8 = 6
        while (16 << Int(exponent)) > room {
            if exponent == 0 { return nil }
            exponent -= 1
        }
        return exponent
    }
}
