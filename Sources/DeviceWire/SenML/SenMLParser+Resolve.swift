import FleetDomain

/// Resolution of one record (RFC 8428 §4.6): base fields, name, time, value.
extension SenMLParser {
    private enum ResolvedName {
        case known(TelemetryName)
        case other(String)

        var string: String {
            switch self {
            case .known(let name): name.string
            case .other(let name): name
            }
        }
    }

    mutating func resolve(_ record: SenMLRecord, index: Int) throws(DeviceAPIError) -> Measurement {
        try applyBaseFields(record, index: index)

        let values = record.labels & SenMLLabel.valueBits
        guard values.nonzeroBitCount <= 1 else {
            let present = SenMLLabel.valueLabels.filter { values & $0.bit != 0 }.map { "\($0)" }
            throw .invalid("[\(index)]", "more than one value (\(present.joined(separator: ", "))); a record has one of v, vs, vb, vd")
        }
        guard values != 0 || record.has(.s) else {
            throw .invalid("[\(index)]", "no value: a record needs one of v, vs, vb, vd or s")
        }
        guard let nameText = record.name else { throw .invalid("[\(index)].n", "missing") }
        if let unit = record.unit, unit.isEmpty { throw .invalid("[\(index)].u", "empty (omit it instead)") }
        let name = try cursor.withBytes(of: nameText) { (bytes) throws(DeviceAPIError) in
            try resolveName(bytes, index: index)
        }

        var time = SenMLParser.add(baseTime, record.time)
        if time < SenML.relativeTimeLimit { time += now }
        guard time.isFinite else { throw .invalid("[\(index)].t", "out of range") }
        if record.has(.ut) && record.updateTime < 0 {
            throw .invalid("[\(index)].ut", "\(Diagnostic.number(record.updateTime)) is below 0")
        }

        var value: Double?
        if record.has(.v) {
            value = SenMLParser.add(baseValue, record.value)
            guard value!.isFinite else { throw .invalid("[\(index)].v", "out of range with bv added") }
        }
        var sum: Double?
        if record.has(.s) {
            sum = SenMLParser.add(baseSum, record.sum)
            guard sum!.isFinite else { throw .invalid("[\(index)].s", "out of range with bs added") }
        }

        // Built once at the end, from locals: mutating a Measurement in steps costs copies.
        let unit: String?
        let stringValue: String?
        switch name {
        case .known(let known):
            (unit, stringValue) = try check(known, record, value: value, sum: sum, index: index)
        case .other:
            unit = record.unit.map(cursor.text) ?? baseUnit
            if let data = record.dataValue {
                stringValue = try dataValue(data, index: index)
            } else {
                stringValue = record.stringValue.map(cursor.text)
            }
        }
        return Measurement(
            name: name.string, unit: unit, value: value, stringValue: stringValue,
            boolValue: record.has(.vb) ? record.boolValue : nil, sum: sum, time: time)
    }

    /// `base + value`, keeping the sign of a `-0` when there is no base to add.
    @inline(__always) private static func add(_ base: Double, _ value: Double) -> Double {
        base == 0 ? value : base + value
    }

    /// Takes the record's base fields into force; they apply to this record already.
    private mutating func applyBaseFields(_ record: SenMLRecord, index: Int) throws(DeviceAPIError) {
        if record.has(.bver) {
            let number = record.baseVersion
            let field = "[\(index)].bver"
            guard number == number.rounded(), number >= 1 else {
                throw .invalid(field, "\(Diagnostic.number(number)) is not a version (a whole number from 1)")
            }
            guard number <= Double(SenML.version) else {
                throw .invalid(field, "\(Diagnostic.number(number)) is above \(SenML.version), the highest SenML version understood")
            }
            if let version, version != number {
                throw .invalid(field, "\(Diagnostic.number(number)) differs from \(Diagnostic.number(version)) earlier in the pack")
            }
            version = number
        }
        if let baseName = record.baseName {
            guard cursor.withBytes(of: baseName, { devicePrefixLength($0) == $0.count }) else {
                throw .invalid("[\(index)].bn", "\(Diagnostic.echo(cursor.text(baseName))) does not name this device (urn:dev:sn:\(serial):)")
            }
            hasBaseName = true
        }
        if record.has(.bt) { baseTime = record.baseTime }
        if let unit = record.baseUnit {
            guard !unit.isEmpty else { throw .invalid("[\(index)].bu", "empty (omit it instead)") }
            baseUnit = cursor.text(unit)
        }
        if record.has(.bv) { baseValue = record.baseValue }
        if record.has(.bs) { baseSum = record.baseSum }
    }

    /// The length of `urn:dev:sn:SERIAL:` if `bytes` starts with it for this device's serial.
    private func devicePrefixLength(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let scheme = "urn:dev:sn:"
        let serialLength = serial.rawValue.utf8.count
        let length = scheme.utf8.count + serialLength + 1
        guard bytes.count >= length,
              UnsafeRawBufferPointer(rebasing: bytes[..<scheme.utf8.count]).spells(scheme),
              UnsafeRawBufferPointer(rebasing: bytes[scheme.utf8.count..<(length - 1)]).spells(serial.rawValue),
              bytes[length - 1] == UInt8(ascii: ":")
        else { return nil }
        return length
    }

    private func resolveName(_ name: UnsafeRawBufferPointer, index: Int) throws(DeviceAPIError) -> ResolvedName {
        var relative = name
        if !hasBaseName, let prefix = devicePrefixLength(name) {
            relative = UnsafeRawBufferPointer(rebasing: name[prefix...])
        }
        if let known = TelemetryName.named(relative) { return .known(known) }
        let field = "[\(index)].n"
        guard !relative.isEmpty else { throw .invalid(field, "empty name") }
        guard relative.count <= SenML.maximumNameLength else {
            throw .invalid(field, "name of \(relative.count) bytes is longer than \(SenML.maximumNameLength)")
        }
        if relative.count >= 4, relative.prefix(4).map({ $0 | 0x20 }).elementsEqual("urn:".utf8) {
            throw .invalid(field, "\(Diagnostic.echo(name)) does not name this device")
        }
        guard isLetterOrDigit(relative[0]) else {
            throw .invalid(field, "\(Diagnostic.echo(relative)) does not start with a letter or digit")
        }
        guard relative.allSatisfy(isNameByte) else {
            throw .invalid(field, "\(Diagnostic.echo(relative)) has a character outside A-Z a-z 0-9 - : . / _")
        }
        return .other(String(decoding: relative, as: UTF8.self))
    }

    private func isLetterOrDigit(_ c: UInt8) -> Bool {
        (c | 0x20) &- UInt8(ascii: "a") < 26 || c &- UInt8(ascii: "0") < 10
    }

    private func isNameByte(_ c: UInt8) -> Bool {
        isLetterOrDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ":") || c == UInt8(ascii: ".")
            || c == UInt8(ascii: "/") || c == UInt8(ascii: "_")
    }
}
