import FleetDomain

/// A forward-only reader over the UTF-8 bytes of a JSON text (RFC 8259), for hand-written parsers that
/// must not allocate on their common path (`SenML`), and for the small tree reader of the rarer bodies.
///
/// It checks the grammar exactly: strings (escapes, surrogate pairs, well-formed UTF-8, no raw control
/// characters), numbers (no leading zeros, no `NaN`/`Infinity`, no `+`), literals and nesting. Every
/// grammar error is a `DeviceAPIError` reading `body: malformed JSON at byte N: …`, N counted from 0.
struct JSONCursor {
    /// Nesting deeper than this in a skipped value is refused (the stack is a bit set of 64 levels).
    static let maximumDepth = 64

    private let base: UnsafeRawPointer
    let end: Int
    /// Offset of the next byte to read.
    var at = 0
    /// The decoded bytes of the strings that had escapes (see `JSONString`); empty, unallocated, until one does.
    /// It grows as strings are scanned, so take a string's `text` in a statement after the one scanning it:
    /// in `cursor.text(try cursor.scanString())` the cursor is read before the scan.
    var scratch: [UInt8] = []

    /// `bytes` must not be empty (an empty body is refused before a cursor is made).
    init(_ bytes: UnsafeRawBufferPointer) {
        precondition(!bytes.isEmpty, "JSONCursor over an empty body")
        base = bytes.baseAddress!
        end = bytes.count
    }

    @inline(__always) subscript(_ offset: Int) -> UInt8 {
        base.load(fromByteOffset: offset, as: UInt8.self)
    }

    /// The byte at the cursor, or 0 at the end (a NUL byte is never valid outside a string, so the
    /// grammar needs no separate end check; error messages do tell the two apart).
    @inline(__always) var byte: UInt8 { at < end ? self[at] : 0 }

    var isAtEnd: Bool { at >= end }

    /// The bytes `range` as a buffer (valid while the body is).
    func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    @inline(__always) mutating func skipWhitespace() {
        while at < end {
            switch self[at] {
            case 0x20, 0x0A, 0x0D, 0x09: at += 1
            default: return
            }
        }
    }

    /// Consumes `expected` or throws `expected <what>, found …`.
    @inline(__always) mutating func consume(_ expected: UInt8, _ what: StaticString) throws(DeviceAPIError) {
        guard byte == expected else { throw unexpected("\(what)") }
        at += 1
    }

    // MARK: Errors

    func malformed(_ what: String, at offset: Int? = nil) -> DeviceAPIError {
        .invalid("body", "malformed JSON at byte \(offset ?? at): \(what)")
    }

    /// `expected <what>, found <the byte at the cursor>`.
    func unexpected(_ what: String) -> DeviceAPIError {
        malformed("expected \(what), found \(foundDescription)")
    }

    var foundDescription: String {
        guard at < end else { return "end of body" }
        return JSONCursor.printable(self[at]).map { "'\($0)'" } ?? "byte \(JSONCursor.hex(self[at]))"
    }

    /// A visible ASCII byte as text, nil for any other.
    static func printable(_ c: UInt8) -> String? {
        c >= 0x21 && c <= 0x7E ? String(Character(Unicode.Scalar(c))) : nil
    }

    static func hex(_ c: UInt8) -> String { "0x\(String(c, radix: 16, uppercase: true))" }

    /// What kind of JSON value starts at the cursor, for `expected a number, found a string`; nil if no
    /// value can start here.
    var valueKind: String? {
        switch byte {
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): "a number"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        default: nil
        }
    }

    /// The error for a value of the wrong kind at the cursor: a field error naming what was found, or a
    /// grammar error if no JSON value starts here at all.
    func wrongKind(_ field: String, expected: String) -> DeviceAPIError {
        guard let kind = valueKind else { return unexpected("a value") }
        return .invalid(field, "expected \(expected), found \(kind)")
    }
}

// MARK: Scalars

extension JSONCursor {
    /// Reads a literal (`true`, `false`, `null`) at the cursor; nil (nothing consumed) if none starts here.
    mutating func scanLiteral() throws(DeviceAPIError) -> Bool?? {
        let start = at
        let word: StaticString
        let value: Bool?
        switch byte {
        case UInt8(ascii: "t"): (word, value) = ("true", true)
        case UInt8(ascii: "f"): (word, value) = ("false", false)
        case UInt8(ascii: "n"): (word, value) = ("null", nil)
        default: return nil
        }
        let count = word.utf8CodeUnitCount
        for k in 0..<count where at + k >= end || self[at + k] != word.utf8Start[k] {
            throw malformed("invalid literal, expected \(word)", at: start)
        }
        at += count
        return .some(value)
    }

    /// Reads a number at the cursor (which is at `-` or a digit).
    ///
    /// Up to 19 significant digits with a decimal exponent within ±22 are converted exactly with one IEEE
    /// operation (Clinger's fast path: both operands are exact doubles, so the result is correctly rounded);
    /// anything else goes through the standard library's correctly rounded conversion. Out-of-range
    /// magnitudes come back infinite: callers that keep the number refuse them.
    mutating func scanNumber() throws(DeviceAPIError) -> Double {
        let start = at
        let negative = byte == UInt8(ascii: "-")
        if negative { at += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exact = true
        var exponent = 0

        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

        var c = byte
        if c == UInt8(ascii: "0") {
            at += 1
            if isDigit(byte) { throw malformed("number with a leading zero", at: start) }
        } else if isDigit(c) {
            while isDigit(c) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(c &- UInt8(ascii: "0"))
                    if mantissa != 0 { digits += 1 }
                } else {
                    exact = false
                }
                at += 1
                c = byte
            }
        } else {
            throw unexpected("a digit")
        }
        if byte == UInt8(ascii: ".") {
            at += 1
            c = byte
            guard isDigit(c) else { throw unexpected("a digit after '.'") }
            while isDigit(c) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(c &- UInt8(ascii: "0"))
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                } else {
                    exact = false
                }
                at += 1
                c = byte
            }
        }
        c = byte
        if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            at += 1
            var exponentNegative = false
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
                exponentNegative = byte == UInt8(ascii: "-")
                at += 1
            }
            c = byte
            guard isDigit(c) else { throw unexpected("a digit in the exponent") }
            var written = 0
            while isDigit(c) {
                if written < 100_000 { written = written * 10 + Int(c &- UInt8(ascii: "0")) }
                at += 1
                c = byte
            }
            exponent += exponentNegative ? -written : written
        }
        if exact {
            if mantissa == 0 { return negative ? -0.0 : 0.0 }
            if mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
                var value = Double(mantissa)
                if exponent < 0 {
                    value /= JSONCursor.powersOf10[-exponent]
                } else {
                    value *= JSONCursor.powersOf10[exponent]
                }
                return negative ? -value : value
            }
        }
        // Rare: many digits or a large exponent. The text is a JSON number, a subset of what the
        // standard library accepts, and it converts with correct rounding in the C locale.
        let text = String(decoding: bytes(start..<at), as: UTF8.self)
        return Double(text) ?? .nan
    }

    private static let powersOf10: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}

extension UnsafeRawBufferPointer {
    /// Whether these bytes are exactly the UTF-8 of `text`.
    @inline(__always)
    func spells(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == count else { return false }
        guard count > 0 else { return true }
        return utf8.withContiguousStorageIfAvailable { other in
            // Names and units are short: a byte loop beats a call to memcmp.
            for k in 0..<count where other[k] != self[k] { return false }
            return true
        } ?? elementsEqual(utf8)
    }
}
