import DeviceWire
import FleetDomain
import XCTest

/// `POST /v1/register` bodies: every field, both sides of every bound.
final class RegistrationBodyTests: XCTestCase {
    private func parse(_ json: String) throws(DeviceAPIError) -> RegistrationRequest {
        try DeviceRequestParser.registration(Array(json.utf8))
    }

    private func assertRefused(_ json: String, _ diagnostic: String, line: UInt = #line) {
        assertBadRequest(diagnostic, line: line) { () throws(DeviceAPIError) in try parse(json) }
    }

    /// A valid body with `member` (a JSON fragment like `"lifetime":60`) replacing or adding that member.
    private func body(_ member: String? = nil, dropping dropped: String? = nil) -> String {
        var members = [
            "model": #""model":"BF-63""#, "fw": #""fw":"1.4.2""#, "hw": #""hw":"rev-C""#,
            "profile": #""profile":{"id":"default","version":3}"#, "caps": #""caps":["arc","leakage","temp"]"#,
            "lifetime": #""lifetime":3600"#,
        ]
        if let dropped { members[dropped] = nil }
        if let member {
            let name = String(member.split(separator: ":", maxSplits: 1)[0].dropFirst().dropLast())
            members[name] = member
        }
        return "{" + members.values.sorted().joined(separator: ",") + "}"
    }

    func testFullBody() throws {
        XCTAssertEqual(try parse(body()), RegistrationRequest(
            model: "BF-63", firmware: "1.4.2", hardware: "rev-C", profile: .init(id: "default", version: 3),
            capabilities: ["arc", "leakage", "temp"], lifetime: 3600))
    }

    func testMinimalBodyGetsDefaults() throws {
        XCTAssertEqual(try parse(#"{"model":"BF-63","fw":"1.4.2"}"#),
                       RegistrationRequest(model: "BF-63", firmware: "1.4.2", lifetime: 86_400))
        XCTAssertEqual(try parse(#"{"model":"BF-63","fw":"1.4.2","hw":null,"profile":null,"caps":null,"lifetime":null}"#),
                       RegistrationRequest(model: "BF-63", firmware: "1.4.2"))
    }

    func testUnknownMembersAreIgnored() throws {
        XCTAssertEqual(try parse(#"{"model":"BF-63","fw":"1.4.2","battery":{"v":3.1},"x_":[1]}"#).model, "BF-63")
    }

    func testModel() throws {
        assertRefused(body(dropping: "model"), "model: missing")
        assertRefused(body(#""model":null"#), "model: null, expected a value")
        assertRefused(body(#""model":63"#), "model: expected a string, found a number")
        assertRefused(body(#""model":"""#), "model: empty")
        XCTAssertEqual(try parse(body(#""model":"\#(String(repeating: "M", count: 64))""#)).model.count, 64)
        assertRefused(body(#""model":"\#(String(repeating: "M", count: 65))""#), "model: 65 bytes is above 64")
        assertRefused(body(#""model":"BF\n63""#), #"model: BF\u{a}63 has a control character"#)
    }

    func testFirmwareAndHardware() throws {
        assertRefused(body(dropping: "fw"), "fw: missing")
        assertRefused(body(#""fw":"""#), "fw: empty")
        XCTAssertEqual(try parse(body(#""fw":"\#(String(repeating: "1", count: 32))""#)).firmware.count, 32)
        assertRefused(body(#""fw":"\#(String(repeating: "1", count: 33))""#), "fw: 33 bytes is above 32")
        XCTAssertNil(try parse(body(dropping: "hw")).hardware)
        assertRefused(body(#""hw":"""#), "hw: empty")
        XCTAssertEqual(try parse(body(#""hw":"\#(String(repeating: "h", count: 32))""#)).hardware?.count, 32)
        assertRefused(body(#""hw":"\#(String(repeating: "h", count: 33))""#), "hw: 33 bytes is above 32")
        assertRefused(body(#""hw":true"#), "hw: expected a string, found a boolean")
    }

    func testProfile() throws {
        XCTAssertNil(try parse(body(dropping: "profile")).profile)
        assertRefused(body(#""profile":"default""#), "profile: expected an object, found a string")
        assertRefused(body(#""profile":{"version":1}"#), "profile.id: missing")
        assertRefused(body(#""profile":{"id":"default"}"#), "profile.version: missing")
        assertRefused(body(#""profile":{"id":"","version":1}"#), "profile.id: empty")
        assertRefused(body(#""profile":{"id":"Bad_ID","version":1}"#), "profile.id: Bad_ID does not match [a-z0-9-]{1,64}")
        let longest = String(repeating: "a", count: 63) + "-"
        XCTAssertEqual(try parse(body(#""profile":{"id":"\#(longest)","version":0}"#)).profile, .init(id: longest, version: 0))
        assertRefused(body(#""profile":{"id":"\#(longest)x","version":1}"#), "profile.id: 65 bytes is above 64")
        assertRefused(body(#""profile":{"id":"p","version":-1}"#), "profile.version: -1 is below 0")
        XCTAssertEqual(try parse(body(#""profile":{"id":"p","version":2147483647}"#)).profile?.version, 2_147_483_647)
        assertRefused(body(#""profile":{"id":"p","version":2147483648}"#), "profile.version: 2147483648 is above 2147483647")
        assertRefused(body(#""profile":{"id":"p","version":1.5}"#), "profile.version: 1.5 is not an integer")
        assertRefused(body(#""profile":{"id":"p","version":"1"}"#), "profile.version: expected an integer, found a string")
    }

    func testCapabilities() throws {
        XCTAssertEqual(try parse(body(dropping: "caps")).capabilities, [])
        XCTAssertEqual(try parse(body(#""caps":[]"#)).capabilities, [])
        assertRefused(body(#""caps":"arc""#), "caps: expected an array of strings, found a string")
        let many = (0..<32).map { #""c\#($0)""# }.joined(separator: ",")
        XCTAssertEqual(try parse(body(#""caps":[\#(many)]"#)).capabilities.count, 32)
        assertRefused(body(#""caps":[\#(many),"c32"]"#), "caps: 33 entries is above 32")
        assertRefused(body(#""caps":["arc","leakage",3]"#), "caps[2]: expected a string, found a number")
        assertRefused(body(#""caps":[""]"#), "caps[0]: empty")
        XCTAssertEqual(try parse(body(#""caps":["\#(String(repeating: "c", count: 32))"]"#)).capabilities.first?.count, 32)
        assertRefused(body(#""caps":["a","\#(String(repeating: "c", count: 33))"]"#), "caps[1]: 33 bytes is above 32")
    }

    func testLifetime() throws {
        XCTAssertEqual(try parse(body(dropping: "lifetime")).lifetime, 86_400)
        assertRefused(body(#""lifetime":5"#), "lifetime: 5 is below 60")
        assertRefused(body(#""lifetime":59"#), "lifetime: 59 is below 60")
        XCTAssertEqual(try parse(body(#""lifetime":60"#)).lifetime, 60)
        XCTAssertEqual(try parse(body(#""lifetime":6e1"#)).lifetime, 60)
        XCTAssertEqual(try parse(body(#""lifetime":31536000"#)).lifetime, 31_536_000)
        assertRefused(body(#""lifetime":31536001"#), "lifetime: 31536001 is above 31536000")
        assertRefused(body(#""lifetime":1e30"#), "lifetime: 1e+30 is above 31536000")
        assertRefused(body(#""lifetime":-60"#), "lifetime: -60 is below 60")
        assertRefused(body(#""lifetime":3600.5"#), "lifetime: 3600.5 is not an integer")
        assertRefused(body(#""lifetime":"3600""#), "lifetime: expected an integer, found a string")
    }

    func testBodyShape() {
        assertRefused("", "body: empty, expected a JSON object")
        assertRefused("[]", "body: expected a JSON object, found an array")
        assertRefused(#""model""#, "body: expected a JSON object, found a string")
        assertRefused(#"{"model":"BF-63","fw":"1.4.2""#, malformed(29, "expected ',' or '}', found end of body"))
        assertRefused(#"{"model":"BF-63","fw":"1.4.2",}"#, malformed(30, "trailing comma"))
        assertRefused(#"{"model":"BF-63","model":"BF-64","fw":"1"}"#, "model: duplicate field")
        assertRefused(#"{"model":"BF-63","fw":"1"} {}"#, malformed(27, "expected the end of the body, found '{'"))
        assertRefused(#"{"model":"BF-63","fw":"1","x":[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]}"#,
                      malformed(45, "nested deeper than 16 levels"))
    }
}
