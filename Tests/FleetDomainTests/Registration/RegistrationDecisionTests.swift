import FleetDomain
import XCTest

/// `Registration.decide`: the rules of spec/device-api.md "Registration and state".
final class RegistrationDecisionTests: XCTestCase {
    private let request = RegistrationRequest(model: "BF-63", firmware: "1.4.2")
    private let certified: (String) -> Bool = { $0 == "BF-63" }

    private func decide(
        known: DeviceState?, origin: CertificateOrigin = .fleet, model: String = "BF-63"
    ) -> Result<Registration.Decision, DeviceAPIError> {
        Registration.decide(
            request, serial: testSerial, known: known.map { DirectoryEntry(model: model, state: $0) },
            origin: origin, isCertifiedModel: certified)
    }

    private func assertDecision(_ result: Result<Registration.Decision, DeviceAPIError>, _ state: DeviceState,
                                first: Bool, line: UInt = #line) {
        guard case .success(let decision) = result else { return XCTFail("refused: \(result)", line: line) }
        XCTAssertEqual(decision.state, state, line: line)
        XCTAssertEqual(decision.isFirst, first, line: line)
    }

    private func assertRefused(_ result: Result<Registration.Decision, DeviceAPIError>, _ kind: DeviceAPIError.Kind,
                               _ diagnostic: String, line: UInt = #line) {
        guard case .failure(let error) = result else { return XCTFail("accepted: \(result)", line: line) }
        XCTAssertEqual(error.kind, kind, line: line)
        XCTAssertEqual(error.diagnostic, diagnostic, line: line)
    }

    func testProvisionedBecomesActiveTheFirstTime() {
        assertDecision(decide(known: .provisioned), .active, first: true)
    }

    func testActiveRegistersAgainAs204() {
        assertDecision(decide(known: .active), .active, first: false)
        assertDecision(decide(known: .active, origin: .manufacturer("Acme CA")), .active, first: false)
    }

    func testUnassignedStaysUnassigned() {
        assertDecision(decide(known: .unassigned), .unassigned, first: false)
    }

    func testUnknownWithFleetCertificateIsForbidden() {
        assertRefused(decide(known: nil), .forbidden, "device BRK-0001 is not provisioned in this fleet")
    }

    func testUnknownWithManufacturerCertificateAndCertifiedModelIsUnassigned() {
        assertDecision(decide(known: nil, origin: .manufacturer("Acme CA")), .unassigned, first: true)
    }

    func testUnknownWithUncertifiedModelIsForbidden() {
        let result = Registration.decide(
            RegistrationRequest(model: "XX-1", firmware: "1"), serial: testSerial, known: nil,
            origin: .manufacturer("Acme CA"), isCertifiedModel: certified)
        assertRefused(result, .forbidden, "model XX-1 is not a certified model")
    }

    func testRevokedAndDecommissionedAreForbidden() {
        assertRefused(decide(known: .revoked), .forbidden, "device BRK-0001 is revoked")
        assertRefused(decide(known: .decommissioned, origin: .manufacturer("Acme CA")), .forbidden,
                      "device BRK-0001 is decommissioned")
    }

    func testModelMustMatchTheProvisionedOne() {
        assertRefused(decide(known: .provisioned, model: "BF-80"), .badRequest,
                      "model: BF-63 is not the model BF-80 this device was provisioned as")
    }
}
