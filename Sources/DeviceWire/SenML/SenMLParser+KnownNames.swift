import FleetDomain

/// The rules of spec/device-api.md "Telemetry names" applied to a resolved record.
extension SenMLParser {
    /// Bytes of a `trip_cause` text.
    static let maximumTripCauseLength = 64

    private static var numberKinds: UInt16 { SenMLLabel.v.bit | SenMLLabel.s.bit }
    private static var stringKinds: UInt16 { SenMLLabel.vs.bit }

    /// Checks `record`, named `name`, against the name's rule; returns its unit and string value.
    func check(
        _ name: TelemetryName, _ record: SenMLRecord, value: Double?, sum: Double?, index: Int
    ) throws(DeviceAPIError) -> (unit: String?, stringValue: String?) {
        switch name.rule {
        case .measure(let expected):
            try requireKinds(SenMLParser.numberKinds, record, name: name, takes: "a number (v or s)", index: index)
            return (try unit(of: record, name: name, expected: expected, required: true, index: index), nil)
        case .count:
            try requireKinds(SenMLParser.numberKinds, record, name: name, takes: "a number (v or s)", index: index)
            try requireCount(value, .v, name: name, index: index)
            try requireCount(sum, .s, name: name, index: index)
            return (try unit(of: record, name: name, expected: .count, required: false, index: index), nil)
        case .breakerState:
            try requireKinds(SenMLParser.stringKinds, record, name: name, takes: "a string (vs): open or closed", index: index)
            let state = record.stringValue!
            let unit = record.unit.map(cursor.text) ?? baseUnit
            if cursor.withBytes(of: state, { $0.spells("open") }) { return (unit, "open") }
            if cursor.withBytes(of: state, { $0.spells("closed") }) { return (unit, "closed") }
            throw .invalid("[\(index)].vs", "\(Diagnostic.echo(cursor.text(state))) is not open or closed")
        case .text:
            try requireKinds(SenMLParser.stringKinds, record, name: name, takes: "a string (vs)", index: index)
            let text = record.stringValue!
            guard !text.isEmpty else { throw .invalid("[\(index)].vs", "empty") }
            let length = cursor.withBytes(of: text) { $0.count }
            guard length <= SenMLParser.maximumTripCauseLength else {
                throw .invalid("[\(index)].vs", "\(length) bytes is above \(SenMLParser.maximumTripCauseLength)")
            }
            return (record.unit.map(cursor.text) ?? baseUnit, cursor.text(text))
        }
    }

    /// Refuses a record of a known name that carries a kind of value the name does not take.
    @inline(__always)
    private func requireKinds(
        _ allowed: UInt16, _ record: SenMLRecord, name: TelemetryName, takes: @autoclosure () -> String, index: Int
    ) throws(DeviceAPIError) {
        // The record has a value (checked before): if it has nothing outside `allowed`, it has an allowed one.
        let offending = record.labels & (SenMLLabel.valueBits | SenMLLabel.s.bit) & ~allowed
        guard offending != 0 else { return }
        let label = (SenMLLabel.valueLabels + [.s]).first { offending & $0.bit != 0 }!
        throw .invalid("[\(index)].\(label)", "\(name.string) takes \(takes())")
    }

    private func requireCount(_ number: Double?, _ label: SenMLLabel, name: TelemetryName, index: Int) throws(DeviceAPIError) {
        guard let number, number < 0 || number != number.rounded() else { return }
        throw .invalid("[\(index)].\(label)", "\(Diagnostic.number(number)) is not a count (a whole number from 0) for \(name.string)")
    }

    /// The unit of a record of a known numeric name: `u`, else `bu`, which must be `expected`.
    private func unit(
        of record: SenMLRecord, name: TelemetryName, expected: TelemetryUnit, required: Bool, index: Int
    ) throws(DeviceAPIError) -> String? {
        let expected = expected.string
        if let unit = record.unit {
            guard cursor.withBytes(of: unit, { $0.spells(expected) }) else {
                throw .invalid("[\(index)].u", "unit \(Diagnostic.echo(cursor.text(unit))) is not \(expected) for \(name.string)")
            }
            return expected
        }
        if let baseUnit {
            guard baseUnit == expected else {
                throw .invalid("[\(index)].u", "unit \(Diagnostic.echo(baseUnit)) (from bu) is not \(expected) for \(name.string)")
            }
            return expected
        }
        guard !required else { throw .invalid("[\(index)].u", "unit missing, expected \(expected) for \(name.string)") }
        return nil
    }

    /// A `vd` value: base64url (RFC 4648 §5), padding optional, kept as sent.
    func dataValue(_ data: JSONString, index: Int) throws(DeviceAPIError) -> String {
        let valid = cursor.withBytes(of: data) { bytes -> Bool in
            var length = bytes.count
            var padding = 0
            while padding < 2, length > 0, bytes[length - 1] == UInt8(ascii: "=") {
                length -= 1
                padding += 1
            }
            if padding > 0 && bytes.count % 4 != 0 { return false }
            if length % 4 == 1 { return false }
            return bytes[..<length].allSatisfy { c in
                (c | 0x20) &- UInt8(ascii: "a") < 26 || c &- UInt8(ascii: "0") < 10
                    || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
            }
        }
        guard valid else { throw .invalid("[\(index)].vd", "not base64url (RFC 4648 §5)") }
        return cursor.text(data)
    }
}
