/// A manufacturer CA the fleet trusts for factory certificates, from a file in `manufacturers/`.
/// Identified by its fingerprint (`DERFingerprint.sha256(der)`); `name` is for people only.
public struct ManufacturerCA: Sendable, Equatable {
    /// The subject CN ("" if it has none): for logs and listings, never for decisions.
    public let name: String
    /// The file in `manufacturers/` it came from (a file may hold several certificates).
    public let fileName: String
    public let der: [UInt8]

    public init(name: String, fileName: String, der: [UInt8]) {
        self.name = name
        self.fileName = fileName
        self.der = der
    }

    /// SHA-256 of `der`.
    public var fingerprint: [UInt8] { DERFingerprint.sha256(der) }
}
