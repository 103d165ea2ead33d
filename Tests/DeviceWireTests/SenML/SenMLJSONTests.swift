import DeviceWire
import FleetDomain
import Foundation
import XCTest

/// JSON (RFC 8259) correctness of the SenML scanner: strings, numbers, grammar errors and their positions.
final class SenMLJSONTests: XCTestCase {
    private func stringValue(_ jsonString: String) throws(DeviceAPIError) -> String? {
        try parsePack(#"[{"n":"s","vs":"# + jsonString + "}]").measurements.first?.stringValue
    }

    private func value(_ jsonNumber: String) throws(DeviceAPIError) -> Double? {
        try parsePack(#"[{"n":"x","v":"# + jsonNumber + "}]").measurements.first?.value
    }

    // MARK: Strings

    func testEscapes() throws {
        XCTAssertEqual(try stringValue(#""caf\u00e9 \"q\" \\ \/ \b\f\n\r\t""#), "café \"q\" \\ / \u{8}\u{C}\n\r\t")
        XCTAssertEqual(try stringValue(#""\u00E9\u4e2d\u0000""#), "é中\u{0}")
        XCTAssertEqual(try stringValue(#""\ud83d\udd25 fire \uD83D\uDE00""#), "🔥 fire 😀")
        XCTAssertEqual(try stringValue(#""raw é 中 🔥""#), "raw é 中 🔥")
        XCTAssertEqual(try stringValue(#""""#), "")
    }

    func testBadEscapesAndSurrogates() {
        let prefix = #"[{"n":"s","vs":"#
        let at = prefix.utf8.count  // the opening quote of the value
        assertPackRefused(prefix + #""\ud83d"}]"#, malformed(at + 1, #"unpaired surrogate \uD83D"#))
        assertPackRefused(prefix + #""\ud83dx"}]"#, malformed(at + 1, #"unpaired surrogate \uD83D"#))
        assertPackRefused(prefix + #""\ud83d\u0041"}]"#, malformed(at + 1, #"unpaired surrogate \uD83D"#))
        assertPackRefused(prefix + #""\udd25"}]"#, malformed(at + 1, #"unpaired surrogate \uDD25"#))
        assertPackRefused(prefix + #""\x"}]"#, malformed(at + 1, #"invalid escape \x"#))
        assertPackRefused(prefix + #""\u12g4"}]"#, malformed(at + 5, "expected a hex digit in \\u escape, found 'g'"))
        assertPackRefused(prefix + "\"a\tb\"}]", malformed(at + 2, "control character in a string (escape it)"))
    }

    func testInvalidUTF8IsRefused() {
        let prefix = Array(#"[{"n":"s","vs":"a"#.utf8)
        let suffix = Array(#""}]"#.utf8)
        for bad: [UInt8] in [[0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3]] {
            assertBadRequest(malformed(prefix.count, "invalid UTF-8")) { () throws(DeviceAPIError) in
                try SenML.parse(prefix + bad + suffix, serial: testSerial, now: testNow)
            }
        }
    }

    /// Strings as Foundation's encoder writes them (it escapes `/` too) read back identically.
    func testStringsRoundTripThroughFoundationsEncoder() throws {
        var generator = SplitMix64(seed: 8428)
        let alphabet: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "/", "\u{0}", "\u{1F}", "\n", "\u{7F}", "é", "中", "\u{FFFF}", "🔥", "\u{10FFFF}"]
        for _ in 0..<300 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 12) { text.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
            let original = String(text)
            let encoded = String(decoding: try JSONEncoder().encode(original), as: UTF8.self)
            XCTAssertEqual(try stringValue(encoded), original, encoded)
        }
    }

    // MARK: Numbers

    func testNumbers() throws {
        let cases: [(String, Double)] = [
            ("0", 0), ("-0", -0.0), ("1", 1), ("-1", -1), ("229.5", 229.5), ("0.012", 0.012), ("1e3", 1000),
            ("1E+3", 1000), ("25e-1", 2.5), ("-0.0e0", -0.0), ("1764384000", 1_764_384_000),
            ("1.7643840005e9", 1_764_384_000.5), ("0.1", 0.1), ("123456789012345678", 123_456_789_012_345_680),
            ("12345678901234567890123", 1.2345678901234567890123e22), ("4.9e-324", .leastNonzeroMagnitude),
            ("1.7976931348623157e308", 1.7976931348623157e308), ("0.30000000000000004", 0.30000000000000004),
            ("9007199254740993", 9_007_199_254_740_992), ("1e-400", 0),
        ]
        for (text, expected) in cases {
            let parsed = try value(text)
            XCTAssertEqual(parsed, expected, text)
            XCTAssertEqual(parsed?.sign, expected.sign, text)
        }
    }

    /// Every double printed several ways parses to the same double as the standard library's parser.
    func testNumbersAgreeWithTheStandardLibrary() throws {
        var generator = SplitMix64(seed: 7252)
        var texts: [String] = []
        for _ in 0..<1_500 {
            let bits = generator.next()
            let random = Double(bitPattern: bits)
            guard random.isFinite else { continue }
            let scaled = Double(Int64(bitPattern: bits) % 10_000_000) / [1, 10, 100, 1000, 1e6][Int(bits >> 60) % 5]
            texts += [
                "\(random)", String(format: "%.17g", random), String(format: "%.3e", random),
                "\(scaled)", String(format: "%.2f", scaled), String(format: "%.15g", scaled),
            ]
        }
        for chunk in stride(from: 0, to: texts.count, by: 200) {
            let numbers = texts[chunk..<min(chunk + 200, texts.count)]
            let json = "[" + numbers.map { #"{"n":"x","v":\#($0)}"# }.joined(separator: ",") + "]"
            let pack = try parsePack(json)
            for (text, measurement) in zip(numbers, pack.measurements) {
                XCTAssertEqual(measurement.value, Double(text)!, text)
            }
        }
    }

    func testMalformedNumbers() {
        let prefix = #"[{"n":"x","v":"#
        let at = prefix.utf8.count
        assertPackRefused(prefix + "012}]", malformed(at, "number with a leading zero"))
        assertPackRefused(prefix + "-012}]", malformed(at, "number with a leading zero"))
        assertPackRefused(prefix + "NaN}]", malformed(at, "expected a value, found 'N'"))
        assertPackRefused(prefix + "Infinity}]", malformed(at, "expected a value, found 'I'"))
        assertPackRefused(prefix + "-Infinity}]", malformed(at + 1, "expected a digit, found 'I'"))
        assertPackRefused(prefix + "+1}]", malformed(at, "expected a value, found '+'"))
        assertPackRefused(prefix + ".5}]", malformed(at, "expected a value, found '.'"))
        assertPackRefused(prefix + "1.}]", malformed(at + 2, "expected a digit after '.', found '}'"))
        assertPackRefused(prefix + "1e}]", malformed(at + 2, "expected a digit in the exponent, found '}'"))
        assertPackRefused(prefix + "1e+}]", malformed(at + 3, "expected a digit in the exponent, found '}'"))
        assertPackRefused(prefix + "-}]", malformed(at + 1, "expected a digit, found '}'"))
        assertPackRefused(prefix + "0x10}]", malformed(at + 1, "expected ',' or '}', found 'x'"))
        assertPackRefused(prefix + "1.5.2}]", malformed(at + 3, "expected ',' or '}', found '.'"))
    }

    // MARK: Grammar

    func testTruncatedBodies() {
        let full = #"[{"n":"power","u":"W","v":1}]"#
        assertPackRefused(#"[{"n":"power","u":"W","v":1"#, malformed(27, "expected ',' or '}', found end of body"))
        assertPackRefused(#"[{"n":"power","u":"W","v":1}"#, malformed(28, "expected ',' or ']', found end of body"))
        assertPackRefused(#"[{"n":"power","u":"W","v":"#, malformed(26, "expected a value, found end of body"))
        assertPackRefused(#"[{"n":"power","u":"W","#, malformed(22, "expected a field name, found end of body"))
        assertPackRefused(#"[{"n":"power""#, malformed(13, "expected ',' or '}', found end of body"))
        assertPackRefused(#"[{"n""#, malformed(5, "expected ':', found end of body"))
        assertPackRefused(#"[{"n":"pow"#, malformed(6, "unterminated string"))
        assertPackRefused(#"[{"n"#, malformed(2, "unterminated string"))
        assertPackRefused("[", malformed(1, "expected a record, found end of body"))
        XCTAssertNoThrow(try parsePack(full))
    }

    func testTrailingCommasAndGarbage() {
        let trailingInArray = #"[{"n":"power","u":"W","v":1},]"#
        assertPackRefused(trailingInArray, malformed(offset(of: "]", in: trailingInArray), "trailing comma"))
        let trailingInRecord = #"[{"n":"power","u":"W","v":1,}]"#
        assertPackRefused(trailingInRecord, malformed(offset(of: "}", in: trailingInRecord), "trailing comma"))
        let trailingNested = #"[{"x":[1,],"n":"power","u":"W","v":1}]"#
        assertPackRefused(trailingNested, malformed(offset(of: "]", in: trailingNested), "trailing comma"))
        let trailingNestedObject = #"[{"x":{"a":1,},"n":"power","u":"W","v":1}]"#
        assertPackRefused(trailingNestedObject, malformed(offset(of: "}", in: trailingNestedObject), "trailing comma"))
        assertPackRefused(#"[{"n":"power","u":"W","v":1}] x"#, malformed(30, "expected the end of the body after the pack, found 'x'"))
        assertPackRefused(#"[{"n":"power","u":"W","v":1}][]"#, malformed(29, "expected the end of the body after the pack, found '['"))
        assertPackRefused(#"[{"n":"power" "u":"W","v":1}]"#, malformed(14, "expected ',' or '}', found '\"'"))
        assertPackRefused(#"[{"n" "power"}]"#, malformed(6, "expected ':', found '\"'"))
        assertPackRefused(#"[{n:"power"}]"#, malformed(2, "expected a field name, found 'n'"))
        assertPackRefused(#"[{'n':"power"}]"#, malformed(2, "expected a field name, found '''"))
        assertPackRefused("\u{FEFF}[]", malformed(0, "expected '[', found byte 0xEF"))
    }

    func testMalformedUnknownValuesAreCaught() {
        let cases: [(String, String, String)] = [
            (#"[{"x":[1,}],"n":"p","v":1}]"#, "}", "expected a value, found '}'"),
            (#"[{"x":{"a"}}]"#, "}", "expected ':', found '}'"),
            (#"[{"x":{"a":1]}]"#, "]", "expected ',' or '}', found ']'"),
            (#"[{"x":[1}]}]"#, "}", "expected ',' or ']', found '}'"),
            (#"[{"x":tru}]"#, "tru", "invalid literal, expected true"),
            (#"[{"x":nul,"n":"p","v":1}]"#, "nul", "invalid literal, expected null"),
            (#"[{"x":01}]"#, "01", "number with a leading zero"),
            (#"[{"x":"abc}]"#, #""abc"#, "unterminated string"),
        ]
        for (json, at, what) in cases {
            assertPackRefused(json, malformed(offset(of: at, in: json, after: 5), what))
        }
    }

    func testDeepNestingInAnUnknownValueIsBounded() throws {
        let deep = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        XCTAssertEqual(try parsePack(#"[{"x":\#(deep),"n":"p","v":1}]"#).measurements.count, 1)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        assertPackRefused(#"[{"x":\#(tooDeep),"n":"p","v":1}]"#, malformed(6 + 64, "nested deeper than 64 levels"))
    }

    func testWhitespaceEverywhere() throws {
        let pack = try parsePack(" \t\r\n[ \n{ \"n\" : \"power\" ,\r\n\"u\"\t:\"W\" , \"v\" : 1 } \n] \n")
        XCTAssertEqual(pack.measurements, [Measurement(name: "power", unit: "W", value: 1, time: testNow)])
    }

    func testBufferEntryPointMatchesArrayEntryPoint() throws {
        let body = Array(#"[{"n":"power","u":"W","v":1}]"#.utf8)
        let viaBuffer = try body.withUnsafeBytes { bytes in
            Result { () throws(DeviceAPIError) in try SenML.parse(bytes, serial: testSerial, now: testNow) }
        }.get()
        XCTAssertEqual(viaBuffer, try SenML.parse(body, serial: testSerial, now: testNow))
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
