import FleetDomain
import Foundation
import XCTest

/// The domain reads neither the clock nor entropy: rules take the time, and keys and ids come from an
/// injected `RandomSource`. These pin down the controllable stand-ins tests rely on.
final class InjectedSourcesTests: XCTestCase {
    private let start = Date(timeIntervalSince1970: testNow)

    func testAManualClockStandsStillUntilMoved() {
        let clock = ManualWallClock(start)
        XCTAssertEqual(clock.now(), start)
        XCTAssertEqual(clock.now(), start, "no time passes by itself")
        clock.advance(by: 90)
        XCTAssertEqual(clock.now(), start.addingTimeInterval(90))
        clock.set(start)
        XCTAssertEqual(clock.now(), start)
    }

    func testAClaimCodeExpiresWhenTheInjectedClockSaysSo() {
        let clock = ManualWallClock(start)
        let claim = ClaimCode(id: "clm-1", hash: "h", siteID: "s", createdBy: "a", createdAt: start,
                              expiresAt: start.addingTimeInterval(600))
        XCTAssertNil(claim.refusal(at: clock.now()))
        clock.advance(by: 599)
        XCTAssertNil(claim.refusal(at: clock.now()), "still valid a second before its end")
        clock.advance(by: 1)
        XCTAssertEqual(claim.refusal(at: clock.now())?.code, .gone)
    }

    func testASeededSourceGivesTheSameBytesForTheSameSeed() {
        XCTAssertEqual(SeededRandomSource(seed: 42).bytes(24), SeededRandomSource(seed: 42).bytes(24))
        XCTAssertNotEqual(SeededRandomSource(seed: 42).bytes(24), SeededRandomSource(seed: 43).bytes(24))
        let source = SeededRandomSource(seed: 42)
        XCTAssertNotEqual(source.bytes(8), source.bytes(8), "one source goes on with its stream")
        XCTAssertEqual(SeededRandomSource(seed: 1).bytes(5).count, 5)
    }

    func testIdentifiersAreVersion4UUIDsAndRepeatable() {
        let id = SeededRandomSource(seed: 7).identifier()
        XCTAssertEqual(id, SeededRandomSource(seed: 7).identifier())
        XCTAssertEqual(id, id.lowercased())
        let characters = Array(id)
        XCTAssertEqual(characters.count, 36)
        XCTAssertEqual(characters[14], "4", "version 4")
        XCTAssertTrue("89ab".contains(characters[19]), "RFC 9562 variant")
        XCTAssertNotEqual(SystemRandomSource().identifier(), SystemRandomSource().identifier())
    }

    func testPresharedKeysComeFromTheInjectedSource() {
        let key = PresharedKeys.generate(using: SeededRandomSource(seed: 9))
        XCTAssertEqual(key, PresharedKeys.generate(using: SeededRandomSource(seed: 9)))
        XCTAssertNotEqual(key, PresharedKeys.generate(using: SeededRandomSource(seed: 10)))
        XCTAssertEqual(key.utf8.count, 16, "16 characters of base64url by default: what tinydtls takes")
        XCTAssertEqual(PresharedKeys.generate(length: 32, using: SeededRandomSource(seed: 9)).utf8.count, 32)
        XCTAssertEqual(PresharedKeys.generate(length: 17, using: SeededRandomSource(seed: 9)).utf8.count, 17)
        XCTAssertTrue(key.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }, key)
    }
}
