import FleetDomain
import Foundation
import XCTest

final class RegistryRulesTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_764_384_000)

    func model(_ code: String, from: TimeInterval = -86_400, until: TimeInterval = 86_400) -> CertifiedModel {
        CertifiedModel(
            code: code, manufacturer: "Acme", certificationNumber: "2026010307000001",
            validFrom: now.addingTimeInterval(from), validUntil: now.addingTimeInterval(until), ratedCurrentA: 63,
            poles: 2, capabilities: [.temperature])
    }

    func testCertificationNeedsAValidUnbannedCertificate() {
        let registry = CertificationRegistry(
            models: [model("BF-100"), model("BF-OLD", from: -200, until: -100), model("BF-NEW", from: 100), model("BF-BAD")],
            bannedModels: ["BF-BAD"])
        XCTAssertTrue(registry.isCertified("BF-100", at: now))
        XCTAssertFalse(registry.isCertified("BF-OLD", at: now))
        XCTAssertFalse(registry.isCertified("BF-NEW", at: now))
        XCTAssertFalse(registry.isCertified("BF-BAD", at: now))
        XCTAssertFalse(registry.isCertified("BF-999", at: now))
        XCTAssertEqual(registry.certifiedCodes(at: now), ["BF-100"])
        XCTAssertEqual(registry.refusal("BF-BAD", at: now), "model BF-BAD is banned")
        XCTAssertTrue(registry.refusal("BF-OLD", at: now)?.contains("expired") == true)
    }

    func testModelAndSiteValidationNameFieldAndBound() {
        var bad = model("BF 1")
        bad.poles = 0
        bad.ratedCurrentA = 0.5
        XCTAssertEqual(bad.validate().map(\.field), ["code", "rated_current_a", "poles"])
        let site = Site(
            id: "Market", name: "x", category: .default, county: "1408", address: "a",
            manager: SiteManager(name: "Li", phone: "12", webhookURL: "ftp://x"))
        XCTAssertEqual(site.validate().map(\.field), ["id", "category", "county", "manager.phone", "manager.webhook_url"])
    }

    func testInstallationStateMachine() {
        for state in [DeviceState.unassigned, .provisioned, .active] {
            let device = Device(serial: Serial("BRK-0001")!, model: "BF-100", state: state)
            XCTAssertEqual(try Installation.nextState(of: device).get(), .active, "\(state)")
        }
        for state in [DeviceState.revoked, .decommissioned] {
            let device = Device(serial: Serial("BRK-0001")!, model: "BF-100", state: state)
            XCTAssertThrowsError(try Installation.nextState(of: device).get(), "\(state)")
        }
    }

    func testClaimCodesAreSingleUseAndExpire() {
        var claim = ClaimCode(id: "clm-1", hash: "h", siteID: "s", createdBy: "a", createdAt: now, expiresAt: now.addingTimeInterval(60))
        XCTAssertNil(claim.refusal(at: now))
        XCTAssertEqual(claim.refusal(at: now.addingTimeInterval(60))?.code, .gone)
        claim.redeemedAt = now
        XCTAssertEqual(claim.refusal(at: now)?.code, .gone)
        XCTAssertEqual(ClaimCode.secret(fromPayload: "BF1:ABCD:site-1"), "ABCD")
        XCTAssertEqual(ClaimCode.secret(fromPayload: "ABCD"), "ABCD")
    }

    func testRetirementTransitions() {
        let serial = Serial("BRK-0001")!
        XCTAssertNil(Retirement.check(.revoked, from: Device(serial: serial, model: "M", state: .active)))
        XCTAssertNil(Retirement.check(.decommissioned, from: Device(serial: serial, model: "M", state: .revoked)))
        XCTAssertEqual(Retirement.check(.revoked, from: Device(serial: serial, model: "M", state: .decommissioned))?.code, .conflict)
        XCTAssertEqual(Retirement.check(.decommissioned, from: Device(serial: serial, model: "M", state: .decommissioned))?.code, .conflict)
    }
}
