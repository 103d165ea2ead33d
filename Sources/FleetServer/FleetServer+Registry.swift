import AdminAPI
import DeviceGateway
import FleetDomain
import FleetPKI
import Foundation

extension FleetServer {
    /// The registry's domain services, wired to the device plane: device changes go to the gateway's
    /// directory, model and ban changes re-push the certified set and the bans.
    static func registryServices(
        store: any FleetStore, authority: CertificateAuthority, gateway: DeviceGateway, sync: RegistrySync,
        profiles: ProfileService, recomputation: ProfileRecomputation
    ) -> RegistryServices {
        // A device that moved site or was barred may need another profile.
        let deviceChanged: @Sendable (Device) -> Void = { gateway.deviceChanged($0); recomputation.schedule() }
        return RegistryServices(
            installing: Installing(
                store: store, signer: FleetCertificateIssuer(authority: authority), deviceChanged: deviceChanged),
            importing: DeviceImporting(store: store, deviceChanged: deviceChanged),
            deviceChanged: deviceChanged,
            registryChanged: { await sync.push() },
            profiles: profiles)
    }
}
