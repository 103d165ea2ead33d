import DeviceWire
import FleetDomain
import XCTest

let testSerial = Serial("BRK-0001")!
/// 2025-11-29T00:00:00Z, the spec's example time.
let testNow = 1_764_384_000.0

func parsePack(_ json: String, serial: Serial = testSerial, now: Double = testNow) throws(DeviceAPIError) -> TelemetryPack {
    try SenML.parse(Array(json.utf8), serial: serial, now: now)
}

/// Asserts that `body` throws a 4.00 whose diagnostic is exactly `diagnostic`.
func assertBadRequest<T>(
    _ diagnostic: String, file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws(DeviceAPIError) -> T
) {
    do {
        let value = try body()
        XCTFail("expected \"\(diagnostic)\", got \(value)", file: file, line: line)
    } catch {
        XCTAssertEqual(error.kind, .badRequest, file: file, line: line)
        XCTAssertEqual(error.diagnostic, diagnostic, file: file, line: line)
    }
}

/// Asserts that the SenML pack `json` is refused with exactly `diagnostic`.
func assertPackRefused(_ json: String, _ diagnostic: String, file: StaticString = #filePath, line: UInt = #line) {
    assertBadRequest(diagnostic, file: file, line: line) { () throws(DeviceAPIError) in try parsePack(json) }
}

/// The 0-based byte offset of the first `needle` in `json` (to state malformed-JSON positions readably).
func offset(of needle: String, in json: String, after: Int = 0) -> Int {
    let bytes = Array(json.utf8), pattern = Array(needle.utf8)
    for start in after...(bytes.count - pattern.count) where Array(bytes[start..<(start + pattern.count)]) == pattern {
        return start
    }
    preconditionFailure("\(needle) not in \(json)")
}

func malformed(_ position: Int, _ what: String) -> String {
    "body: malformed JSON at byte \(position): \(what)"
}
