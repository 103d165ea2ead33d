import FleetDomain
import FleetPKI

/// The CAs the device plane trusts, by fingerprint: the fleet's own and the manufacturers', with the names
/// people know them by.
struct TrustAnchors {
    let fleet: Set<Fingerprint>
    let manufacturers: [Fingerprint: String]

    init(_ pki: LoadedPKI) {
        fleet = [CertificateFingerprints.of(pki.authority.certificateDER)]
        var manufacturers: [Fingerprint: String] = [:]
        for der in pki.manufacturerCAsDER {
            manufacturers[CertificateFingerprints.of(der)] = (try? CertificateInspector.subjectCommonName(ofCertificateDER: der)) ?? "manufacturer CA"
        }
        self.manufacturers = manufacturers
    }

    /// The manufacturer CAs a ban by name covers (bans from before bans named fingerprints).
    func fingerprints(named names: Set<String>) -> Set<Fingerprint> {
        Set(manufacturers.filter { names.contains($0.value) }.keys)
    }
}
