import FleetDomain
import Foundation
import XCTest

/// Which certificate may speak for a device: the ones the fleet bound to it, a replaced one only within
/// the overlap window, nothing from another CA. Decided at chosen instants with a manual clock.
final class CertificateBindingsTests: XCTestCase {
    private let clock = ManualWallClock(Date(timeIntervalSince1970: 1_790_000_000))
    private let fleetIssuer = Fingerprint(bytes: [UInt8](repeating: 0xF1, count: 32))!
    private let manufacturer = Fingerprint(bytes: [UInt8](repeating: 0x3A, count: 32))!
    private let week: TimeInterval = 7 * 86_400

    private func fingerprint(_ byte: UInt8) -> Fingerprint { Fingerprint(bytes: [UInt8](repeating: byte, count: 32))! }

    private func certificate(_ byte: UInt8, issuer: Fingerprint? = nil, key: UInt8? = nil, source: BoundCertificate.Source = .provisioned) -> BoundCertificate {
        BoundCertificate(
            fingerprint: fingerprint(byte), issuerFingerprint: issuer ?? fleetIssuer, publicKeyFingerprint: fingerprint(key ?? byte &+ 100),
            notBefore: clock.now(), notAfter: clock.now().addingTimeInterval(365 * 86_400), boundAt: clock.now(), source: source)
    }

    func testNothingBoundAdmitsTheFirstCertificateAndBindsIt() {
        let bindings = CertificateBindings()
        XCTAssertEqual(bindings.decide(certificate: fingerprint(1), issuer: manufacturer, at: clock.now(), overlap: week), .admitAndBind)
    }

    func testTheBoundCertificateIsAdmitted() {
        let bindings = CertificateBindings([certificate(1)])
        XCTAssertEqual(bindings.decide(certificate: fingerprint(1), issuer: fleetIssuer, at: clock.now(), overlap: week), .admit)
    }

    func testACertificateFromAnotherCAForAFleetSerialIsRefused() {
        // A trusted manufacturer CA minting a certificate for a serial the fleet provisioned.
        let bindings = CertificateBindings([certificate(1)])
        XCTAssertEqual(bindings.decide(certificate: fingerprint(9), issuer: manufacturer, at: clock.now(), overlap: week),
                       .refuse(.foreignIssuer))
    }

    func testASecondCertificateFromTheSameCAIsRefused() {
        let bindings = CertificateBindings([certificate(1)])
        XCTAssertEqual(bindings.decide(certificate: fingerprint(2), issuer: fleetIssuer, at: clock.now(), overlap: week),
                       .refuse(.unboundCertificate))
    }

    func testAReplacedCertificateWorksDuringTheOverlapWindowAndIsRefusedAfter() {
        var bindings = CertificateBindings([certificate(1)])
        clock.advance(by: 3600)
        bindings.bind(certificate(2, source: .renewed))
        XCTAssertEqual(bindings.current?.fingerprint, fingerprint(2))
        let renewedAt = clock.now()

        clock.set(renewedAt.addingTimeInterval(week - 1))
        XCTAssertEqual(bindings.decide(certificate: fingerprint(1), issuer: fleetIssuer, at: clock.now(), overlap: week), .admit)
        clock.set(renewedAt.addingTimeInterval(week))
        XCTAssertEqual(bindings.decide(certificate: fingerprint(1), issuer: fleetIssuer, at: clock.now(), overlap: week),
                       .refuse(.supersededCertificate))
        XCTAssertEqual(bindings.decide(certificate: fingerprint(2), issuer: fleetIssuer, at: clock.now(), overlap: week), .admit)
    }

    func testAFactoryCertificateIsSupersededByTheFleetCertificateOfARekey() {
        var bindings = CertificateBindings([certificate(7, issuer: manufacturer, source: .firstContact)])
        clock.advance(by: 60)
        bindings.bind(certificate(8, source: .rekeyed))
        clock.advance(by: week + 1)
        XCTAssertEqual(bindings.decide(certificate: fingerprint(7), issuer: manufacturer, at: clock.now(), overlap: week),
                       .refuse(.supersededCertificate))
        // Another factory certificate from the same manufacturer is not bound either.
        XCTAssertEqual(bindings.decide(certificate: fingerprint(6), issuer: manufacturer, at: clock.now(), overlap: week),
                       .refuse(.unboundCertificate))
    }

    func testKeysEverBoundAreKnown() {
        var bindings = CertificateBindings([certificate(1, key: 50)])
        bindings.bind(certificate(2, key: 51))
        XCTAssertTrue(bindings.hasUsed(publicKey: fingerprint(50)))
        XCTAssertTrue(bindings.hasUsed(publicKey: fingerprint(51)))
        XCTAssertFalse(bindings.hasUsed(publicKey: fingerprint(52)))
    }

    func testFingerprintsReadAndWriteHex() {
        let hex = String(repeating: "ab", count: 32)
        XCTAssertEqual(Fingerprint(hex: hex)?.hex, hex)
        XCTAssertEqual(Fingerprint(hex: String(repeating: "AB:", count: 31) + "AB")?.hex, hex)
        XCTAssertNil(Fingerprint(hex: "abc"))
        XCTAssertNil(Fingerprint(hex: String(repeating: "zz", count: 32)))
    }

    func testTheThrottleKeepsOneEventAMinutePerSerialReasonAndCertificate() {
        var throttle = SecurityEventThrottle(interval: 60)
        let event = SecurityEvent(at: clock.now(), serial: "BRK-1", reason: .foreignIssuer, detail: "x", certificateFingerprint: fingerprint(1))
        XCTAssertTrue(throttle.admit(event))
        var repeated = event
        repeated.at = clock.now().addingTimeInterval(30)
        XCTAssertFalse(throttle.admit(repeated))
        var other = repeated
        other.reason = .unboundCertificate
        XCTAssertTrue(throttle.admit(other))
        repeated.at = clock.now().addingTimeInterval(61)
        XCTAssertTrue(throttle.admit(repeated))
    }
}
