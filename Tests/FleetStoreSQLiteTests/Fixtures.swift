import Foundation
import FleetDomain
import XCTest

typealias Measurement = FleetDomain.Measurement

/// A fixed, whole-second base time: Unix seconds stored as REAL round-trip exactly.
let t0 = Date(timeIntervalSince1970: 1_764_384_000)

func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

/// A commerce site in Yanhu District, Yuncheng.
let yanhuMarket = Site(
    id: "yanhu-market", name: "盐湖市场", category: .commerce, county: "140802", address: "1 Road",
    manager: SiteManager(name: "Li", phone: "+86 359 1234567", webhookURL: nil))

func serial(_ text: String) -> Serial {
    guard let serial = Serial(text) else { fatalError("bad test serial \(text)") }
    return serial
}

/// Hands out increasing journal positions, as the journal would.
struct FakeJournal {
    var segment: UInt64 = 1
    var offset: UInt64 = 0
    /// The position of the last record handed out.
    var position: JournalPosition { JournalPosition(segment: segment, offset: offset) }

    mutating func append(_ record: IngestRecord) -> JournaledRecord {
        offset += 128
        return JournaledRecord(position: position, record: record)
    }

    mutating func append(_ records: [IngestRecord]) -> [JournaledRecord] {
        records.map { append($0) }
    }
}

func registration(
    _ serial: Serial, state: DeviceState, at receivedAt: Date, model: String = "BRK-3P-63",
    firmware: String = "1.0.0", hardware: String? = "rev-b", capabilities: [String] = ["arc", "leakage"],
    lifetime: Int = 86_400
) -> IngestRecord {
    .registration(RegistrationRecord(
        serial: serial,
        request: RegistrationRequest(model: model, firmware: firmware, hardware: hardware,
                                     capabilities: capabilities, lifetime: lifetime),
        state: state, receivedAt: receivedAt))
}

func event(_ serial: Serial, _ id: String, _ type: EventType = .overTemperature, at receivedAt: Date,
           value: Double? = 72.5, phase: String? = "L1", action: EventAction? = .alarmOnly) -> IngestRecord {
    .event(EventRecord(
        serial: serial,
        report: EventReport(id: id, type: type, at: Int64(receivedAt.timeIntervalSince1970) - 1, value: value,
                            phase: phase, action: action),
        receivedAt: receivedAt))
}

/// One SenML record of a test pack; `t` is relative to the pack's base time.
struct Entry {
    var name: String
    var unit: String?
    var v: Double?
    var vs: String?
    var vb: Bool?
    var s: Double?
    var t: Double = 0

    static func value(_ name: String, _ unit: String, _ v: Double, t: Double = 0) -> Entry {
        Entry(name: name, unit: unit, v: v, t: t)
    }
}

/// A telemetry record whose body is the SenML JSON a device would send (`bn` = `urn:dev:sn:SERIAL:`,
/// `bt` = the measurement base time) and whose pack is that body resolved by hand.
func telemetry(_ serial: Serial, at receivedAt: Date, baseTime: Date? = nil, _ entries: [Entry]) -> IngestRecord {
    let bt = (baseTime ?? receivedAt).timeIntervalSince1970
    var json: [String] = []
    var measurements: [Measurement] = []
    for (index, entry) in entries.enumerated() {
        var fields: [String] = []
        if index == 0 {
            fields.append("\"bn\":\"urn:dev:sn:\(serial.rawValue):\"")
            fields.append("\"bt\":\(jsonNumber(bt))")
        }
        fields.append("\"n\":\"\(entry.name)\"")
        if let unit = entry.unit { fields.append("\"u\":\"\(unit)\"") }
        if let v = entry.v { fields.append("\"v\":\(jsonNumber(v))") }
        if let vs = entry.vs { fields.append("\"vs\":\"\(vs)\"") }
        if let vb = entry.vb { fields.append("\"vb\":\(vb)") }
        if let s = entry.s { fields.append("\"s\":\(jsonNumber(s))") }
        if entry.t != 0 { fields.append("\"t\":\(jsonNumber(entry.t))") }
        json.append("{" + fields.joined(separator: ",") + "}")
        measurements.append(Measurement(name: entry.name, unit: entry.unit, value: entry.v, stringValue: entry.vs,
                                        boolValue: entry.vb, sum: entry.s, time: bt + entry.t))
    }
    let body = Array(("[" + json.joined(separator: ",") + "]").utf8)
    return .telemetry(TelemetryRecord(serial: serial, receivedAt: receivedAt, body: body,
                                      pack: TelemetryPack(measurements: measurements)))
}

private func jsonNumber(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
}

/// A typical full pack of a three-phase breaker (12 records).
func fullPack(_ serial: Serial, at receivedAt: Date, seed: Int) -> IngestRecord {
    let x = Double(seed % 97) / 10
    return telemetry(serial, at: receivedAt, [
        .value("voltage_l1", "V", 229 + x), .value("voltage_l2", "V", 230 + x), .value("voltage_l3", "V", 231 - x),
        .value("current_l1", "A", 3 + x), .value("current_l2", "A", 2.5 + x), .value("current_l3", "A", 4 - x / 10),
        .value("current_n", "A", 0.4), .value("leakage", "A", 0.003),
        .value("temp_l1", "Cel", 31.5 + x), .value("power", "W", 2100 + x * 10),
        Entry(name: "energy", unit: "Wh", s: 123_456 + Double(seed)),
        Entry(name: "breaker", vs: "closed"),
    ])
}

extension XCTestCase {
    /// Asserts that `body` throws a `StoreError` with `code`, returning it.
    @discardableResult
    func assertStoreError<T>(
        _ code: StoreError.Code, file: StaticString = #filePath, line: UInt = #line,
        _ body: () async throws -> T
    ) async -> StoreError? {
        do {
            _ = try await body()
            XCTFail("expected StoreError \(code), nothing thrown", file: file, line: line)
        } catch let error as StoreError {
            XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
            return error
        } catch {
            XCTFail("expected StoreError \(code), got \(error)", file: file, line: line)
        }
        return nil
    }
}
