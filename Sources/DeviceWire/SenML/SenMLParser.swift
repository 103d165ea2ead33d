import FleetDomain

/// The single pass behind `SenML.parse`: reads records with a `JSONCursor` and resolves each as soon as it
/// is read, carrying the base fields forward.
struct SenMLParser {
    var cursor: JSONCursor
    let serial: Serial
    let now: Double

    // Base fields in force (RFC 8428 §4.6: a base field applies to its record and the following ones).
    var hasBaseName = false
    var baseTime = 0.0
    var baseUnit: String?
    var baseValue = 0.0
    var baseSum = 0.0
    var version: Double?

    init(cursor: JSONCursor, serial: Serial, now: Double) {
        self.cursor = cursor
        self.serial = serial
        self.now = now
    }

    mutating func parsePack() throws(DeviceAPIError) -> TelemetryPack {
        cursor.skipWhitespace()
        guard cursor.byte == UInt8(ascii: "[") else {
            guard let kind = cursor.valueKind else { throw cursor.unexpected("'['") }
            throw .invalid("body", "expected a SenML pack (a JSON array of records), found \(kind)")
        }
        cursor.at += 1
        cursor.skipWhitespace()
        var measurements: [Measurement] = []
        if cursor.byte != UInt8(ascii: "]") {
            // A typical record takes 25-35 bytes: reserve about enough to avoid regrowing.
            measurements.reserveCapacity(min(SenML.maximumRecords, cursor.end / 24 + 1))
            while true {
                guard measurements.count < SenML.maximumRecords else {
                    throw .invalid("", "pack has more than \(SenML.maximumRecords) records")
                }
                measurements.append(try parseRecord(index: measurements.count))
                cursor.skipWhitespace()
                if cursor.byte == UInt8(ascii: ",") {
                    cursor.at += 1
                    cursor.skipWhitespace()
                    if cursor.byte == UInt8(ascii: "]") { throw cursor.malformed("trailing comma") }
                    continue
                }
                guard cursor.byte == UInt8(ascii: "]") else { throw cursor.unexpected("',' or ']'") }
                break
            }
        }
        cursor.at += 1
        cursor.skipWhitespace()
        guard cursor.isAtEnd else { throw cursor.unexpected("the end of the body after the pack") }
        guard !measurements.isEmpty else { throw .invalid("", "pack is empty") }
        return TelemetryPack(measurements: measurements)
    }

    private mutating func parseRecord(index: Int) throws(DeviceAPIError) -> Measurement {
        guard cursor.byte == UInt8(ascii: "{") else {
            guard let kind = cursor.valueKind else { throw cursor.unexpected("a record") }
            throw .invalid("[\(index)]", "expected a record (an object), found \(kind)")
        }
        cursor.at += 1
        cursor.skipWhitespace()
        var record = SenMLRecord()
        if cursor.byte == UInt8(ascii: "}") {
            cursor.at += 1
            return try resolve(record, index: index)
        }
        while true {
            guard cursor.byte == UInt8(ascii: "\"") else { throw cursor.unexpected("a field name") }
            let key = try cursor.scanString()
            cursor.skipWhitespace()
            try cursor.consume(UInt8(ascii: ":"), "':'")
            cursor.skipWhitespace()
            if let label = cursor.withBytes(of: key, { SenMLLabel($0) }) {
                guard !record.has(label) else { throw .invalid("[\(index)].\(label)", "duplicate field") }
                record.labels |= label.bit
                try read(label, into: &record, index: index)
            } else if cursor.withBytes(of: key, { $0.last == UInt8(ascii: "_") }) {
                throw .invalid("[\(index)].\(Diagnostic.echo(cursor.text(key)))",
                               "must-understand field (ends in _) not understood by this server")
            } else {
                try cursor.skipValue()
            }
            cursor.skipWhitespace()
            if cursor.byte == UInt8(ascii: ",") {
                cursor.at += 1
                cursor.skipWhitespace()
                if cursor.byte == UInt8(ascii: "}") { throw cursor.malformed("trailing comma") }
                continue
            }
            guard cursor.byte == UInt8(ascii: "}") else { throw cursor.unexpected("',' or '}'") }
            cursor.at += 1
            return try resolve(record, index: index)
        }
    }

    /// Reads the value of `label` at the cursor into `record`, checking its JSON kind.
    private mutating func read(_ label: SenMLLabel, into record: inout SenMLRecord, index: Int) throws(DeviceAPIError) {
        switch label {
        case .bn, .bu, .n, .u, .vs, .vd:
            guard cursor.byte == UInt8(ascii: "\"") else {
                throw cursor.wrongKind("[\(index)].\(label)", expected: "a string")
            }
            let string = try cursor.scanString()
            switch label {
            case .bn: record.baseName = string
            case .bu: record.baseUnit = string
            case .n: record.name = string
            case .u: record.unit = string
            case .vs: record.stringValue = string
            default: record.dataValue = string
            }
        case .vb:
            let c = cursor.byte
            guard c == UInt8(ascii: "t") || c == UInt8(ascii: "f"), case .some(.some(let value)) = try cursor.scanLiteral() else {
                throw cursor.wrongKind("[\(index)].vb", expected: "a boolean")
            }
            record.boolValue = value
        case .bt, .bv, .bs, .bver, .v, .s, .t, .ut:
            let c = cursor.byte
            guard c == UInt8(ascii: "-") || c &- UInt8(ascii: "0") < 10 else {
                throw cursor.wrongKind("[\(index)].\(label)", expected: "a number")
            }
            let start = cursor.at
            let number = try cursor.scanNumber()
            guard number.isFinite else {
                throw .invalid("[\(index)].\(label)", "\(Diagnostic.echo(cursor.bytes(start..<cursor.at))) is out of range")
            }
            switch label {
            case .bt: record.baseTime = number
            case .bv: record.baseValue = number
            case .bs: record.baseSum = number
            case .bver: record.baseVersion = number
            case .v: record.value = number
            case .s: record.sum = number
            case .t: record.time = number
            default: record.updateTime = number
            }
        }
    }
}
