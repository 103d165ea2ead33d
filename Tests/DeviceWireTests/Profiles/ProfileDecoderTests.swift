import DeviceWire
import FleetDomain
import Foundation
import XCTest

/// `ProfileDecoder`: documents with defaults filled in, every type error and unknown name reported at once.
final class ProfileDecoderTests: XCTestCase {
    private func decode(_ json: String) throws(ProfileDecodingError) -> ThresholdProfile {
        try ProfileDecoder.decode(json)
    }

    private func issues(_ json: String, line: UInt = #line) -> ProfileDecodingError? {
        do {
            let profile = try decode(json)
            XCTFail("expected an error, got \(profile)", line: line)
            return nil
        } catch {
            return error
        }
    }

    func testMinimalDocumentTakesTheSpecDefaults() throws {
        let profile = try decode(#"{"id":"default","site_category":"default"}"#)
        var expected = ThresholdProfile.factoryDefault
        expected.standardBasis = nil
        XCTAssertEqual(profile, expected)
        XCTAssertNil(profile.version)
    }

    func testPartialGroupsKeepTheOtherDefaults() throws {
        let profile = try decode(#"""
            {"id":"rental-v2","version":3,"site_category":"rental-old-housing","cable_insulation":"XLPE90",
             "notes":"30 mA on final circuits","leakage":{"alarm_ma":100,"warn_ma":30,"action":"trip"},
             "temperature":{"alarm_c":70.5,"override":true},"power":{"limit_w":4400},"short_circuit":{"instant_multiple":5},
             "remote":{"reset_requires_confirm":true},"arc":null}
            """#)
        XCTAssertEqual(profile.version, 3)
        XCTAssertEqual(profile.siteCategory, .rentalOldHousing)
        XCTAssertEqual(profile.cableInsulation, .xlpe90)
        XCTAssertEqual(profile.leakage, .init(warnMA: 30, alarmMA: 100, delayS: 1, action: .trip))
        XCTAssertEqual(profile.temperature, .init(warnC: 50, alarmC: 70.5, delayS: 5, action: .alarm, override: true))
        XCTAssertEqual(profile.power.limitW, 4400)
        XCTAssertEqual(profile.shortCircuit.instantMultiple, 5)
        XCTAssertEqual(profile.remote, .init(allowRemoteTrip: true, allowRemoteReset: true, resetRequiresConfirm: true))
        XCTAssertEqual(profile.arc, .init())
        XCTAssertEqual(ProfileValidator.validate(profile), [])
    }

    func testEncodedProfileReadsBackTheSame() throws {
        var profile = ThresholdProfile.factoryDefault
        profile.version = 7
        profile.notes = "line \"one\""
        profile.temperature.warnC = 48.5
        profile.arc.action = .trip
        XCTAssertEqual(try ProfileDecoder.decode(profile.jsonBytes()), profile)
        XCTAssertEqual(try ProfileDecoder.decode(ThresholdProfile.factoryDefault.jsonBytes()), .factoryDefault)
        // The strict Codable form agrees with the document form.
        let coded = try JSONDecoder().decode(ThresholdProfile.self, from: Data(profile.jsonBytes()))
        XCTAssertEqual(coded, profile)
        XCTAssertEqual(try ProfileDecoder.decode(Array(JSONEncoder().encode(profile))), profile)
    }

    func testEveryProblemIsReported() {
        let error = issues(#"""
            {"id":"shop","version":2,"site_category":"mall","thresholds":{},
             "leakage":{"alarm_mA":300,"warn_ma":"200","action":"shout"},
             "temperature":[],"remote":{"allow_remote_trip":1},"overload":{"trip_pct":120.5}}
            """#)
        XCTAssertEqual(error?.id, "shop")
        XCTAssertEqual(error?.version, 2)
        XCTAssertEqual(error?.issues, [
            "thresholds: unknown field, expected a header field or group: id, version, site_category, standard_basis, nominal_voltage_v, cable_insulation, notes, leakage, temperature, arc, overload, short_circuit, voltage, power, reporting, remote",
            "site_category: mall is not one of \(SiteCategory.allCases.map(\.rawValue).joined(separator: ", "))",
            "leakage.alarm_mA: unknown field, expected one of: warn_ma, alarm_ma, delay_s, action",
            "leakage.warn_ma: expected an integer, found a string",
            "leakage.action: shout is not one of alarm, trip",
            "temperature: expected an object, found an array",
            "overload.trip_pct: 120.5 is not an integer",
            "remote.allow_remote_trip: expected true or false, found a number",
        ])
    }

    func testRequiredHeaderAndMalformedJSON() {
        XCTAssertEqual(issues(#"{"site_category":"default"}"#)?.issues, ["id: missing"])
        XCTAssertEqual(issues(#"{"id":"x"}"#)?.issues, ["site_category: missing"])
        XCTAssertNil(issues(#"{"site_category":"default"}"#)?.id)
        XCTAssertEqual(issues("[]")?.issues, ["body: expected a JSON object, found an array"])
        XCTAssertEqual(issues(#"{"id":"x",}"#)?.issues.count, 1)
    }
}
