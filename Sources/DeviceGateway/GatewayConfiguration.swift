import FleetDomain

/// The device plane's rules that depend on deployment rather than on the spec.
public struct GatewayConfiguration: Sendable {
    /// Subject CN of the fleet CA: certificates it issued are operational (provisioned) certificates.
    public var fleetAnchorName: String
    /// Subject CNs of trusted manufacturer CAs (factory certificates).
    public var manufacturerAnchorNames: Set<String>
    /// Model codes whose factory-certified devices may register unannounced (as `unassigned`).
    public var certifiedModels: Set<String>
    /// Request bodies above this get 4.13 (spec: 16 KiB).
    public var maxBodyBytes: Int
    /// Seconds a device is told to back off when the server sheds load.
    public var backOffSeconds: UInt32

    public init(
        fleetAnchorName: String, manufacturerAnchorNames: Set<String> = [], certifiedModels: Set<String> = [],
        maxBodyBytes: Int = 16 * 1024, backOffSeconds: UInt32 = 30
    ) {
        self.fleetAnchorName = fleetAnchorName
        self.manufacturerAnchorNames = manufacturerAnchorNames
        self.certifiedModels = certifiedModels
        self.maxBodyBytes = maxBodyBytes
        self.backOffSeconds = backOffSeconds
    }
}
