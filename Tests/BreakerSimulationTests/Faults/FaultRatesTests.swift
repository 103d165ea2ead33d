import BreakerSimulation
import XCTest

final class FaultRatesTests: XCTestCase {
    private func refused(_ text: String) -> FaultRatesError? {
        do {
            _ = try FaultRates.parse(text)
            return nil
        } catch {
            return error
        }
    }

    func testParse() throws {
        let rates = try FaultRates.parse("arc=0.01, leakage=0.005,short=3600,overload=0")
        XCTAssertEqual(rates[.arc], 0.01)
        XCTAssertEqual(rates[.leakage], 0.005)
        XCTAssertEqual(rates[.short], 3600)
        XCTAssertEqual(rates[.overtemp], 0)
        XCTAssertEqual(rates.text, "arc=0.01,leakage=0.005,short=3600.0")
        XCTAssertEqual(try FaultRates.parse(""), .none)
        XCTAssertTrue(try FaultRates.parse("overvoltage=0").isEmpty)
    }

    func testErrorsNameTheKeyAndTheBound() {
        XCTAssertEqual(refused("arc=3601")?.description, "arc: 3601 per hour is above 3600")
        XCTAssertEqual(refused("arc=3601")?.key, "arc")
        XCTAssertEqual(refused("leakage=-0.1")?.description, "leakage: -0.1 per hour is below 0")
        XCTAssertEqual(refused("short=often")?.description, "short: 'often' is not a number")
        XCTAssertEqual(refused("short=nan")?.description, "short: nan is not a finite rate")
        XCTAssertEqual(refused("fire=1")?.description, "unknown fault 'fire', expected one of arc, leakage, overtemp, short, overload, overvoltage, undervoltage")
        XCTAssertEqual(refused("arc=1,arc=2")?.description, "arc is given twice")
        XCTAssertEqual(refused("arc")?.description, "'arc' is not kind=rate")
        XCTAssertEqual(refused("arc=1,")?.description, "empty item is not kind=rate")
    }
}
