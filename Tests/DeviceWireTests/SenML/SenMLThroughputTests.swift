import DeviceWire
import FleetDomain
import XCTest

/// Not a timed assertion: prints what one realistic pack costs, for the record. Debug builds run this
/// 20–50× slower than release ones; only a release build's number says anything about the hot path.
final class SenMLThroughputTests: XCTestCase {
    static let pack = Array(("[{\"bn\":\"urn:dev:sn:BRK-000123:\",\"bt\":1764384000,\"n\":\"voltage_l1\",\"u\":\"V\",\"v\":229.8},"
        + "{\"n\":\"current_l1\",\"u\":\"A\",\"v\":12.43},{\"n\":\"leakage\",\"u\":\"A\",\"v\":0.012},"
        + "{\"n\":\"temp_l1\",\"u\":\"Cel\",\"v\":41.5},{\"n\":\"power\",\"u\":\"W\",\"v\":2856},"
        + "{\"n\":\"breaker\",\"vs\":\"closed\"}]").utf8)

    func testNanosecondsPerPack() throws {
        let serial = Serial("BRK-000123")!
        let iterations = 100_000
        var checksum = 0.0
        // Warm up, and check the pack is the one meant.
        XCTAssertEqual(try SenML.parse(Self.pack, serial: serial, now: testNow).measurements.count, 6)
        let elapsed = try ContinuousClock().measure {
            try Self.pack.withUnsafeBytes { bytes in
                for _ in 0..<iterations {
                    let pack = try SenML.parse(bytes, serial: serial, now: testNow)
                    checksum += pack.measurements[0].value!
                }
            }
        }
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        print("SenML.parse: \(Self.pack.count)-byte pack, \(iterations) iterations: "
              + "\(Int(nanoseconds / Double(iterations))) ns/pack (checksum \(checksum))")
    }
}
