import AdminAPI
import DeviceGateway
import FleetDomain
import FleetPKI
import Foundation

extension FleetServer {
    /// The registry's domain services, wired to the device plane: device changes go to the gateway's
    /// directory, model and ban changes re-push the certified set and the bans.
    static func registryServices(
        store: any FleetStore, authority: CertificateAuthority, gateway: DeviceGateway, sync: RegistrySync
    ) -> RegistryServices {
        let deviceChanged: @Sendable (Device) -> Void = { gateway.deviceChanged($0) }
        return RegistryServices(
            installing: Installing(
                store: store, signer: FleetCertificateIssuer(authority: authority), deviceChanged: deviceChanged),
            importing: DeviceImporting(store: store, deviceChanged: deviceChanged),
            deviceChanged: deviceChanged,
            registryChanged: { await sync.push() })
    }
}
