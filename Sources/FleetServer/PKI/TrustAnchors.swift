import FleetDomain
import FleetPKI

/// The CAs the device plane trusts, as the gateway wants them: the fleet root (certificates chaining to it
/// were issued by the fleet) and the manufacturer CAs by fingerprint, with the names people know them by.
struct TrustAnchors {
    let fleet: Set<Fingerprint>
    let manufacturers: [Fingerprint: String]

    init(_ pki: LoadedPKI) {
        fleet = [CertificateFingerprints.of(pki.fleetRootDER)]
        manufacturers = Dictionary(
            pki.manufacturerCAs.compactMap { ca in Fingerprint(bytes: ca.fingerprint).map { ($0, ca.name) } },
            uniquingKeysWith: { first, _ in first })
    }
}
