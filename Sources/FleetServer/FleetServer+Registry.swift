import AdminAPI
import FleetDomain
import FleetPKI
import Foundation

extension FleetServer {
    /// The registry's domain services, wired to the device plane: device changes go to `deviceChanged`,
    /// model and ban changes re-push the certified set and the bans.
    static func registryServices(
        store: any FleetStore, authority: CertificateAuthority, sync: RegistrySync, profiles: ProfileService,
        deviceChanged: @escaping @Sendable (Device) -> Void
    ) -> RegistryServices {
        return RegistryServices(
            installing: Installing(
                store: store, signer: FleetCertificateIssuer(authority: authority), deviceChanged: deviceChanged),
            importing: DeviceImporting(store: store, deviceChanged: deviceChanged),
            deviceChanged: deviceChanged,
            registryChanged: { await sync.push() },
            profiles: profiles)
    }
}
