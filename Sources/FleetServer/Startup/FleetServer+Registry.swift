import AdminAPI
import FleetDomain
import FleetServices
import FleetPKI
import Foundation

extension FleetServer {
    /// The registry's domain services, wired to the device plane: device changes go to `deviceChanged`,
    /// model and ban changes re-push the certified set and the bans.
    static func registryServices(
        store: any FleetStore, issuer: FleetCertificateIssuer, sync: RegistrySync, profiles: ProfileService,
        environment: ServiceEnvironment, deviceChanged: @escaping @Sendable (Device) -> Void,
        bindCertificate: @escaping CertificateBinder, commandTransitions: CommandTransitions,
        commandsChanged: @escaping @Sendable (Serial) -> Void
    ) -> RegistryServices {
        RegistryServices(
            installing: Installing(
                store: store, signer: issuer,
                random: environment.random, deviceChanged: deviceChanged, bindCertificate: bindCertificate),
            importing: DeviceImporting(store: store, random: environment.random, deviceChanged: deviceChanged),
            deviceChanged: deviceChanged,
            registryChanged: { await sync.push() },
            profiles: profiles,
            commands: CommandIssuing(store: store, transitions: commandTransitions, environment: environment,
                                     commandsChanged: commandsChanged))
    }
}
