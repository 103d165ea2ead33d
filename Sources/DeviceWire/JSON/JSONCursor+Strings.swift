import FleetDomain

/// A string read by `JSONCursor`: the bytes between its quotes in the body (no escapes, the common case),
/// or its decoded bytes in the cursor's scratch buffer (the text had escapes). Either way well-formed UTF-8.
/// A plain value: copying it costs no reference counting.
struct JSONString {
    /// Where the bytes are: in the body, or in the cursor's scratch buffer if `isDecoded`.
    var range: Range<Int>
    var isDecoded: Bool

    /// Whether the string is `""` (a string with escapes always decodes to at least one byte).
    var isEmpty: Bool { range.isEmpty }
}

extension JSONCursor {
    /// Reads a string at the cursor (which is at `"`).
    @inline(__always)
    mutating func scanString() throws(DeviceAPIError) -> JSONString {
        let open = at
        at += 1
        let start = at
        while at < end {
            let c = self[at]
            if c == UInt8(ascii: "\"") {
                at += 1
                return JSONString(range: start..<(at - 1), isDecoded: false)
            }
            if c == UInt8(ascii: "\\") { return try scanEscapedString(open: open, start: start) }
            if c < 0x20 { throw malformed("control character in a string (escape it)") }
            if c < 0x80 { at += 1 } else { try skipUTF8Sequence() }
        }
        throw malformed("unterminated string", at: open)
    }

    /// The text of a string, as a Swift string.
    func text(_ string: JSONString) -> String {
        if string.isDecoded { return String(decoding: scratch[string.range], as: UTF8.self) }
        return String(decoding: bytes(string.range), as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 bytes of `string`.
    @inline(__always)
    func withBytes<R, Failure: Error>(
        of string: JSONString, _ body: (UnsafeRawBufferPointer) throws(Failure) -> R
    ) throws(Failure) -> R {
        if string.isDecoded {
            return try scratch.withUnsafeBytes { bytes in
                Result { () throws(Failure) in try body(UnsafeRawBufferPointer(rebasing: bytes[string.range])) }
            }.get()
        }
        return try body(bytes(string.range))
    }

    /// Slow path: the string has escapes; decode it from its start to the end of the scratch buffer.
    private mutating func scanEscapedString(open: Int, start: Int) throws(DeviceAPIError) -> JSONString {
        var out = scratch
        scratch = []  // `out` is the only reference while it grows
        defer { scratch = out }
        let decodedStart = out.count
        out.append(contentsOf: bytes(start..<at))
        while at < end {
            let c = self[at]
            switch c {
            case UInt8(ascii: "\""):
                at += 1
                return JSONString(range: decodedStart..<out.count, isDecoded: true)
            case UInt8(ascii: "\\"):
                try decodeEscape(into: &out)
            case ..<0x20:
                throw malformed("control character in a string (escape it)")
            case ..<0x80:
                out.append(c)
                at += 1
            default:
                let sequenceStart = at
                try skipUTF8Sequence()
                out.append(contentsOf: bytes(sequenceStart..<at))
            }
        }
        throw malformed("unterminated string", at: open)
    }

    /// Decodes one escape at the cursor (at `\`), appending its UTF-8.
    private mutating func decodeEscape(into out: inout [UInt8]) throws(DeviceAPIError) {
        let escape = at
        at += 1
        guard at < end else { throw malformed("unterminated string") }
        let c = self[at]
        at += 1
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(c)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hex4()
            var scalar = UInt32(unit)
            switch unit {
            case 0xD800...0xDBFF:
                guard at + 1 < end, self[at] == UInt8(ascii: "\\"), self[at + 1] == UInt8(ascii: "u") else {
                    throw malformed("unpaired surrogate \\u\(hex(unit))", at: escape)
                }
                at += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw malformed("unpaired surrogate \\u\(hex(unit))", at: escape)
                }
                scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            case 0xDC00...0xDFFF:
                throw malformed("unpaired surrogate \\u\(hex(unit))", at: escape)
            default:
                break
            }
            appendUTF8(scalar, to: &out)
        default:
            throw malformed("invalid escape \\\(JSONCursor.printable(c) ?? "followed by byte \(JSONCursor.hex(c))")", at: escape)
        }
    }

    private mutating func hex4() throws(DeviceAPIError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            let c = byte
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw unexpected("a hex digit in \\u escape")
            }
            value = value << 4 | UInt16(digit)
            at += 1
        }
        return value
    }

    private func hex(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    private func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Checks one well-formed UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF) starting
    /// at the cursor's non-ASCII byte and moves past it.
    private mutating func skipUTF8Sequence() throws(DeviceAPIError) {
        let lead = self[at]
        let continuation: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: continuation = 1
        case 0xE0: continuation = 2; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: continuation = 2
        case 0xED: continuation = 2; secondRange = 0x80...0x9F
        case 0xF0: continuation = 3; secondRange = 0x90...0xBF
        case 0xF1...0xF3: continuation = 3
        case 0xF4: continuation = 3; secondRange = 0x80...0x8F
        default: throw malformed("invalid UTF-8")
        }
        guard at + continuation < end else { throw malformed("invalid UTF-8") }
        guard secondRange.contains(self[at + 1]) else { throw malformed("invalid UTF-8") }
        for k in 2..<(continuation + 1) where self[at + k] & 0xC0 != 0x80 {
            throw malformed("invalid UTF-8")
        }
        at += continuation + 1
    }
}
