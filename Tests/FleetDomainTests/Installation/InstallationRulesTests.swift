import FleetDomain
import Foundation
import XCTest

/// Who may take which device where, as pure decisions (the integration tests try the same over HTTP).
final class InstallationRulesTests: XCTestCase {
    private let yaodu = site("yanhu-market", county: "140802")
    private let yaoduClinic = site("yanhu-clinic", county: "140802")
    private let quwo = site("quwo-school", county: "140821")

    private static func site(_ id: String, county: String) -> Site {
        Site(id: id, name: id, category: .commerce, county: county, address: "a", manager: SiteManager(name: "Li", phone: "1"))
    }

    private func token(_ role: Role, _ counties: [String] = []) -> Installing.Authority {
        .token(StoredToken(id: "t", name: "crew", role: role, hash: "h", createdAt: .distantPast, counties: counties))
    }

    private func claim(for site: Site) -> Installing.Authority {
        .claim(ClaimCode(id: "clm-1", hash: "h", siteID: site.id, createdBy: "admin", createdAt: .distantPast, expiresAt: .distantFuture))
    }

    private func check(
        _ state: DeviceState, at current: Site?, to destination: Site, by authority: Installing.Authority, reason: String? = nil
    ) -> Result<InstallationRules.Kind, DomainError> {
        InstallationRules.check(.init(
            device: Device(serial: testSerial, model: "BF-100", state: state), currentSite: current,
            destination: destination, authority: authority, reason: reason))
    }

    private func refusal(_ result: Result<InstallationRules.Kind, DomainError>) -> DomainError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    func testDevicesWithoutASiteOrAtTheDestinationAreInstalledByAnyoneAllowedThere() {
        for state in [DeviceState.unassigned, .provisioned, .active] {
            XCTAssertEqual(try check(state, at: nil, to: quwo, by: token(.installer, ["140821"])).get(), .install, "\(state)")
            XCTAssertEqual(try check(state, at: nil, to: quwo, by: claim(for: quwo)).get(), .install, "\(state)")
        }
        XCTAssertEqual(try check(.provisioned, at: quwo, to: quwo, by: claim(for: quwo)).get(), .install, "planned for this site")
        XCTAssertEqual(try check(.active, at: quwo, to: quwo, by: token(.installer, ["140821"])).get(), .install, "another circuit")
    }

    func testAnInstallerCannotTakeADeviceFromAnotherCounty() throws {
        let error = try XCTUnwrap(refusal(check(.active, at: yaodu, to: quwo, by: token(.installer, ["140821"]), reason: "why")))
        XCTAssertEqual(error.code, .forbidden)
        XCTAssertEqual(error.rule, InstallationRules.deviceInOtherCounty)
        XCTAssertTrue(error.message.contains("active at site yanhu-market (county 140802)"), error.message)
        XCTAssertTrue(error.message.contains("an installer of counties 140802 and 140821"), error.message)
        // Planned elsewhere counts too: an import plan in another county is not this installer's.
        XCTAssertEqual(refusal(check(.provisioned, at: yaodu, to: quwo, by: token(.installer, ["140821"])))?.rule,
                       InstallationRules.deviceInOtherCounty)
    }

    func testAMoveNeedsAnAdminOrAnInstallerOfBothCountiesAndAReason() throws {
        let noReason = try XCTUnwrap(refusal(check(.active, at: yaodu, to: quwo, by: token(.admin))))
        XCTAssertEqual(noReason.code, .conflict)
        XCTAssertEqual(noReason.rule, InstallationRules.moveNeedsReason)
        XCTAssertEqual(refusal(check(.active, at: yaodu, to: quwo, by: token(.installer, ["140802", "140821"]), reason: " "))?.rule,
                       InstallationRules.moveNeedsReason)
        XCTAssertEqual(try check(.active, at: yaodu, to: quwo, by: token(.admin), reason: "school opened").get(), .move(from: yaodu))
        XCTAssertEqual(try check(.active, at: yaodu, to: quwo, by: token(.installer, ["140802", "140821"]), reason: "r").get(),
                       .move(from: yaodu))
        XCTAssertEqual(try check(.active, at: yaodu, to: yaoduClinic, by: token(.installer, ["140802"]), reason: "r").get(),
                       .move(from: yaodu), "within one county: a move all the same")
        XCTAssertEqual(try check(.provisioned, at: yaodu, to: quwo, by: token(.installer, ["140802", "140821"])).get(), .install,
                       "re-planning a device never in service is no move")
    }

    func testAClaimCodeNeverCapturesADeviceAtAnotherSite() throws {
        let sameCounty = try XCTUnwrap(refusal(check(.active, at: yaodu, to: yaoduClinic, by: claim(for: yaoduClinic), reason: "r")))
        XCTAssertEqual(sameCounty.code, .forbidden)
        XCTAssertEqual(sameCounty.rule, InstallationRules.claimForNewDevices)
        XCTAssertEqual(refusal(check(.provisioned, at: yaodu, to: quwo, by: claim(for: quwo)))?.rule,
                       InstallationRules.claimForNewDevices, "planned for another site")
    }

    func testTheDestinationMustBeInTheInstallersCounties() {
        let error = refusal(check(.unassigned, at: nil, to: quwo, by: token(.installer, ["140802"])))
        XCTAssertEqual(error?.rule, InstallationRules.installerCounties)
        XCTAssertEqual(error?.message, "site quwo-school is in county 140821, outside this installer token's counties (140802)")
    }
}
