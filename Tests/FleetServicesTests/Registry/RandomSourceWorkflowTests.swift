import FleetDomain
import FleetServices
import XCTest

/// Keys and ids the registry workflows make come from the injected random source, and their timestamps
/// from the time they are given: the same seed and time give the same records.
final class RandomSourceWorkflowTests: FleetTestCase {
    func testPresharedKeysAndInstallationIDsComeFromTheInjectedSource() async throws {
        let provisioning = Provisioning(
            store: fleet.store, issuer: StubIssuer(), random: SeededRandomSource(seed: 9), deviceChanged: { _ in })
        let (device, credential) = try await provisioning.provision(
            serial: serial("BRK-0001"), model: "BF-100", presharedKeyBytes: 16, now: t0)
        XCTAssertEqual(device.provisionedAt, t0)
        XCTAssertEqual(credential.presharedKey, PresharedKeys.generate(using: SeededRandomSource(seed: 9)))
        let keys = try await fleet.store.presharedKeys()
        XCTAssertEqual(keys[serial("BRK-0001")], credential.presharedKey.map { Array($0.utf8) })

        let installing = Installing(
            store: fleet.store, signer: StubIssuer(), random: SeededRandomSource(seed: 5), deviceChanged: { _ in })
        let admin = StoredToken(id: "tok-1", name: "admin", role: .admin, hash: "h", createdAt: t0)
        let outcome = try await installing.install(
            .init(serial: serial("BRK-0001"), siteID: "yanhu-market", circuit: "L1"), authority: .token(admin),
            now: t0.addingTimeInterval(60))
        XCTAssertEqual(outcome.installation.id, SeededRandomSource(seed: 5).identifier())
        XCTAssertEqual(outcome.installation.at, t0.addingTimeInterval(60))
        let history = try await fleet.store.installations(of: serial("BRK-0001"))
        XCTAssertEqual(history.map(\.id), [outcome.installation.id])
    }
}

/// Credentials without a CA: these tests are about where keys, ids and times come from.
private struct StubIssuer: CertificateIssuing, CSRSigning {
    func issueDeviceCredential(for serial: Serial) throws -> DeviceCredential {
        DeviceCredential(certificatePEM: "certificate", privateKeyPEM: "key", caCertificatePEM: "ca")
    }

    func authorityCertificatePEM() throws -> String { "ca" }

    func signDeviceCSR(serial: Serial, csrPEM: String) throws -> SignedCertificate {
        SignedCertificate(certificatePEM: "certificate", caCertificatePEM: "ca", binding: nil)
    }
}
