import DeviceWire
import FleetDomain

/// The request bodies a breaker sends, byte for byte as spec/device-api.md writes them: members in the
/// spec's order, compact JSON, SI units in telemetry.
public enum DeviceMessages {
    /// `POST /v1/register`: `{"model","fw","hw","profile":{"id","version"},"caps":[…],"lifetime"}`.
    /// A profile not yet versioned by a server (the factory default) is reported as version 0.
    public static func registration(configuration: BreakerConfiguration, firmware: String, profile: ThresholdProfile) -> Outgoing {
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.key("model"); writer.value(configuration.model)
        writer.key("fw"); writer.value(firmware)
        if let hardware = configuration.hardware { writer.key("hw"); writer.value(hardware) }
        writer.key("profile")
        writer.beginObject()
        writer.key("id"); writer.value(profile.id)
        writer.key("version"); writer.value(profile.version ?? 0)
        writer.endObject()
        writer.key("caps")
        writer.beginArray()
        for capability in configuration.capabilities.sorted() { writer.value(capability) }
        writer.endArray()
        writer.key("lifetime"); writer.value(configuration.lifetime)
        writer.endObject()
        return Outgoing(method: .post, path: "/v1/register", contentFormat: .json, body: writer.bytes, kind: .registration)
    }

    /// `POST /v1/telemetry`: a SenML pack with base name `urn:dev:sn:SERIAL:` and base time `now`, one
    /// record per telemetry name of the spec, rounded to what a meter resolves.
    public static func telemetry(
        serial: Serial, reading: ElectricalReading, arcCount: Double, position: BreakerPosition, tripCause: String?
    ) -> Outgoing {
        var writer = JSONWriter(capacity: 900)
        writer.beginArray()
        var first = true
        func record(_ name: String, _ unit: String?, _ value: Double, _ places: Double) {
            writer.beginObject()
            if first {
                writer.key("bn"); writer.value("urn:dev:sn:\(serial.rawValue):")
                writer.key("bt"); writer.value(Int64(reading.time.rounded(.down)))
                first = false
            }
            writer.key("n"); writer.value(name)
            if let unit { writer.key("u"); writer.value(unit) }
            writer.key("v"); writer.value((value * places).rounded() / places)
            writer.endObject()
        }
        for (index, volts) in reading.voltageV.enumerated() { record("voltage_l\(index + 1)", "V", volts, 10) }
        for (index, amps) in reading.currentA.enumerated() { record("current_l\(index + 1)", "A", amps, 100) }
        record("current_n", "A", reading.neutralCurrentA, 100)
        record("leakage", "A", reading.leakageA, 10_000)
        for (index, celsius) in reading.wireTempC.enumerated() { record("temp_l\(index + 1)", "Cel", celsius, 10) }
        record("temp_n", "Cel", reading.neutralTempC, 10)
        record("temp_cabinet", "Cel", reading.cabinetTempC, 10)
        record("power", "W", reading.powerW, 1)
        record("energy", "Wh", reading.energyWh, 10)
        record("arc_count", "count", arcCount, 1)
        writer.beginObject()
        writer.key("n"); writer.value("breaker")
        writer.key("vs"); writer.value(position.rawValue)
        writer.endObject()
        if let tripCause {
            writer.beginObject()
            writer.key("n"); writer.value("trip_cause")
            writer.key("vs"); writer.value(tripCause)
            writer.endObject()
        }
        writer.endArray()
        return Outgoing(method: .post, path: "/v1/telemetry", contentFormat: .senmlJSON, body: writer.bytes, kind: .telemetry)
    }

    /// `POST /v1/events`: `{"id","type","at","value"?,"phase"?,"action"?}`.
    public static func event(_ report: EventReport) -> Outgoing {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.key("id"); writer.value(report.id)
        writer.key("type"); writer.value(report.type.rawValue)
        writer.key("at"); writer.value(report.at)
        if let value = report.value { writer.key("value"); writer.value(value) }
        if let phase = report.phase { writer.key("phase"); writer.value(phase) }
        if let action = report.action { writer.key("action"); writer.value(action.rawValue) }
        writer.endObject()
        return Outgoing(method: .post, path: "/v1/events", contentFormat: .json, body: writer.bytes, kind: .event(report))
    }

    /// `POST /v1/commands/{id}`: `{"result","breaker","reason"?}`.
    public static func commandResult(id: String, _ result: CommandResult) -> Outgoing {
        var writer = JSONWriter(capacity: 96)
        writer.beginObject()
        writer.key("result"); writer.value(result.result.rawValue)
        writer.key("breaker"); writer.value(result.breaker.rawValue)
        if let reason = result.reason { writer.key("reason"); writer.value(reason) }
        writer.endObject()
        return Outgoing(
            method: .post, path: "/v1/commands/\(percentEncoded(id))", contentFormat: .json, body: writer.bytes,
            kind: .commandResult(id: id, result))
    }

    /// `POST /.well-known/est/sren` for the `renew` command `commandID`: the network side supplies the CSR.
    public static func renewal(commandID: String) -> Outgoing {
        Outgoing(method: .post, path: "/.well-known/est/sren", contentFormat: .pkcs10, body: [], kind: .renewal(commandID: commandID))
    }

    /// `PUT /v1/profile/applied`: `{"id","version","result","reason"?}`.
    public static func profileReport(_ report: ProfileReport) -> Outgoing {
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.key("id"); writer.value(report.id)
        writer.key("version"); writer.value(report.version)
        writer.key("result"); writer.value(report.result.rawValue)
        if let reason = report.reason { writer.key("reason"); writer.value(reason) }
        writer.endObject()
        return Outgoing(method: .put, path: "/v1/profile/applied", contentFormat: .json, body: writer.bytes, kind: .profileReport(report))
    }

    /// `PUT /v1/firmware/state`: `{"version","state","error"?}`.
    public static func firmwareState(_ report: FirmwareReport) -> Outgoing {
        var writer = JSONWriter(capacity: 96)
        writer.beginObject()
        writer.key("version"); writer.value(report.version)
        writer.key("state"); writer.value(report.state.rawValue)
        if let error = report.error { writer.key("error"); writer.value(error) }
        writer.endObject()
        return Outgoing(method: .put, path: "/v1/firmware/state", contentFormat: .json, body: writer.bytes, kind: .firmwareState(report))
    }

    /// Event values to two decimals: what a meter resolves, and short on the wire.
    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    /// An id as one URI path segment (RFC 3986 unreserved characters kept).
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let unreserved = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
            out += unreserved ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true).leftPadded
        }
        return out
    }
}

extension String {
    fileprivate var leftPadded: String { count == 1 ? "0" + self : self }
}
