import FleetDomain

extension JSONCursor {
    /// Checks and skips one JSON value of any kind at the cursor, nested or not, without recursion and
    /// without allocating (the open containers are a bit stack: 1 = object, 0 = array).
    mutating func skipValue() throws(DeviceAPIError) {
        var stack: UInt64 = 0
        var depth = 0
        while true {
            // Expecting a value.
            var closedValue = true
            switch byte {
            case UInt8(ascii: "\""):
                _ = try scanString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                _ = try scanNumber()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte == UInt8(ascii: "{")
                guard depth < JSONCursor.maximumDepth else {
                    throw malformed("nested deeper than \(JSONCursor.maximumDepth) levels")
                }
                stack = stack << 1 | (isObject ? 1 : 0)
                depth += 1
                at += 1
                skipWhitespace()
                if byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    at += 1
                    stack >>= 1
                    depth -= 1
                } else if isObject {
                    try skipMemberName()
                    closedValue = false
                } else {
                    closedValue = false
                }
            default:
                guard try scanLiteral() != nil else { throw unexpected("a value") }
            }
            if !closedValue { continue }
            // After a value: close containers until one continues with ','.
            while true {
                if depth == 0 { return }
                let inObject = stack & 1 == 1
                skipWhitespace()
                if byte == UInt8(ascii: ",") {
                    at += 1
                    skipWhitespace()
                    if inObject {
                        if byte == UInt8(ascii: "}") { throw malformed("trailing comma") }
                        try skipMemberName()
                    } else if byte == UInt8(ascii: "]") {
                        throw malformed("trailing comma")
                    }
                    break
                }
                guard byte == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw unexpected(inObject ? "',' or '}'" : "',' or ']'")
                }
                at += 1
                stack >>= 1
                depth -= 1
            }
        }
    }

    /// Skips `"name" :` and the whitespace after it, leaving the cursor at the member's value.
    private mutating func skipMemberName() throws(DeviceAPIError) {
        guard byte == UInt8(ascii: "\"") else { throw unexpected("a field name") }
        _ = try scanString()
        skipWhitespace()
        try consume(UInt8(ascii: ":"), "':'")
        skipWhitespace()
    }
}
