import FleetDomain
import Foundation

/// The device plane's rules that depend on deployment rather than on the spec.
public struct GatewayConfiguration: Sendable {
    /// Fingerprints of the fleet's trust anchors (its root CA): certificates chaining to one of them were
    /// issued by the fleet (provisioned, re-keyed or renewed).
    public var fleetAnchors: Set<Fingerprint>
    /// Trusted manufacturer CAs by fingerprint, with a name for people (factory certificates). A CA is
    /// known by its fingerprint only: two CAs with the same CN are two CAs.
    public var manufacturerAnchors: [Fingerprint: String]
    /// Model codes whose factory-certified devices may register unannounced (as `unassigned`).
    public var certifiedModels: Set<String>
    /// Request bodies above this get 4.13 (spec: 16 KiB).
    public var maxBodyBytes: Int
    /// Seconds a device is told to back off when the server sheds load.
    public var backOffSeconds: UInt32
    /// How long a certificate replaced by a re-key or renewal keeps working (spec default: 7 days).
    public var certificateOverlap: TimeInterval

    public init(
        fleetAnchors: Set<Fingerprint>, manufacturerAnchors: [Fingerprint: String] = [:], certifiedModels: Set<String> = [],
        maxBodyBytes: Int = 16 * 1024, backOffSeconds: UInt32 = 30,
        certificateOverlap: TimeInterval = CertificateBindings.defaultOverlap
    ) {
        self.fleetAnchors = fleetAnchors
        self.manufacturerAnchors = manufacturerAnchors
        self.certifiedModels = certifiedModels
        self.maxBodyBytes = maxBodyBytes
        self.backOffSeconds = backOffSeconds
        self.certificateOverlap = certificateOverlap
    }
}
