import FleetDomain
import FleetPKI

/// The CAs the device plane trusts, by fingerprint: the fleet's root (certificates chaining to it were
/// issued by the fleet) and the manufacturers', with the names people know them by.
struct TrustAnchors {
    let fleet: Set<Fingerprint>
    let manufacturers: [Fingerprint: String]

    init(_ pki: LoadedPKI) {
        fleet = [CertificateFingerprints.of(pki.fleetRootDER)]
        var manufacturers: [Fingerprint: String] = [:]
        for manufacturer in pki.manufacturerCAs {
            manufacturers[CertificateFingerprints.of(manufacturer.der)] = manufacturer.name
        }
        self.manufacturers = manufacturers
    }
}
