import FleetDomain

/// A value that writes itself as one JSON value (an alarm in a telemetry answer, for example).
public protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

/// Writes compact JSON (RFC 8259) straight into bytes, members in the order written, so answers are
/// deterministic and cheap. Commas are placed by the writer; the caller only opens, names and closes.
///
///     var writer = JSONWriter()
///     writer.beginObject()
///     writer.key("now"); writer.value(1_764_384_000)
///     writer.endObject()          // {"now":1764384000}
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8]
    /// Bit per open container (innermost lowest): whether it already holds a member or element.
    private var filled: UInt64 = 0
    private var depth = 0
    private var afterKey = false

    public init(capacity: Int = 128) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Names the next member of the open object.
    public mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func value(_ text: String?) {
        guard let text else { return null() }
        separate()
        appendString(text)
    }

    public mutating func value<T: BinaryInteger>(_ number: T?) {
        guard let number else { return null() }
        separate()
        appendInteger(number)
    }

    /// A double in its shortest round-tripping form; `null` if not finite (JSON has no NaN or infinity).
    public mutating func value(_ number: Double?) {
        guard let number, number.isFinite else { return null() }
        separate()
        bytes.append(contentsOf: number.description.utf8)
    }

    public mutating func value(_ flag: Bool?) {
        guard let flag else { return null() }
        separate()
        bytes.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    // MARK: Internals

    private mutating func open(_ bracket: UInt8) {
        precondition(depth < 64, "JSONWriter nests at most 64 levels")
        separate()
        bytes.append(bracket)
        filled <<= 1
        depth += 1
    }

    private mutating func close(_ bracket: UInt8) {
        precondition(depth > 0 && !afterKey, "JSONWriter: unbalanced \(Character(Unicode.Scalar(bracket)))")
        bytes.append(bracket)
        filled >>= 1
        depth -= 1
    }

    /// Writes the comma before a member or element, unless it follows a key or opens its container.
    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard depth > 0 else { return }
        if filled & 1 == 1 { bytes.append(UInt8(ascii: ",")) }
        filled |= 1
    }

    private mutating func appendInteger<T: BinaryInteger>(_ number: T) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for any 64-bit magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude != 0 && count < 24
            bytes.append(contentsOf: buffer[(24 - count)...])
        }
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\b \f \n \r \t` or `\u00XX`, everything
    /// else as its UTF-8.
    private mutating func appendString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
            case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case ..<0x20:
                let hex: StaticString = "0123456789abcdef"
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hex.utf8Start[Int(byte >> 4)])
                bytes.append(hex.utf8Start[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
