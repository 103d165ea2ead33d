import DeviceGateway
import FleetDomain
import FleetServices
import Foundation
import Logging

extension FleetServer {
    /// Loads `Profiles/`, runs precedence for the fleet and hands the outcome to the device plane (before
    /// the CoAP server starts, so the first registration already gets its profile version).
    static func startProfiles(
        _ configuration: ServerConfiguration, store: any FleetStore, gateway: DeviceGateway, clock: any WallClock,
        logger: Logger
    ) async throws -> ProfileService {
        let profiles = ProfileService(store: store, clock: clock) { await gateway.profilesChanged($0) }
        let documents = try ProfileFiles.read(configuration.profilesDirectory, logger: logger)
        let outcomes = try await profiles.load(documents)
        // Versions from the profiles folder are the server's own writes: audited as the system.
        let audit = AuditTrail(store: store, clock: clock, logger: logger)
        for case .created(let stored) in outcomes {
            logger.notice("stored a new profile version", metadata: [
                "profile": "\(stored.id)", "version": "\(stored.version)", "source": "\(stored.source)",
            ])
            await audit.record(.system, action: "profile.push", target: "profile:\(stored.id)",
                               detail: ["version": "\(stored.version)", "source": stored.source])
        }
        gateway.warmUpProfiles(try await profiles.fullPublication())
        return profiles
    }
}

/// Reads the `*.json` files of the profiles folder.
enum ProfileFiles {
    static func read(_ directory: URL, logger: Logger) throws -> [ProfileDocument] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            logger.warning("no profiles folder: only the built-in default profile is used",
                           metadata: ["folder": "\(directory.path)"])
            return []
        }
        return try names.filter { $0.hasSuffix(".json") }.sorted().map { name in
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            return ProfileDocument(fileName: name, bytes: [UInt8](data))
        }
    }
}
