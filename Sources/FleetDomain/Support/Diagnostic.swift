/// Renders values a device sent into a diagnostic payload (RFC 7252 §5.5.2): short, one line, UTF-8.
package enum Diagnostic {
    /// At most this many bytes of a device's text are echoed back.
    package static let echoLimit = 64

    /// `text` as it may appear in a diagnostic: `""` if empty, control characters shown as `\u{…}`, cut
    /// after `echoLimit` bytes (at a character boundary) with `…`.
    package static func echo(_ text: String) -> String {
        if text.isEmpty { return #""""# }
        var out = ""
        var bytes = 0
        for scalar in text.unicodeScalars {
            let piece = scalar.value < 0x20 || scalar.value == 0x7F ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            bytes += piece.utf8.count
            if bytes > echoLimit { return out + "…" }
            out += piece
        }
        return out
    }

    /// The same for well-formed UTF-8 bytes.
    package static func echo(_ bytes: UnsafeRawBufferPointer) -> String {
        echo(String(decoding: bytes, as: UTF8.self))
    }

    /// A number as a device would have written it: whole numbers without a fraction.
    package static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
