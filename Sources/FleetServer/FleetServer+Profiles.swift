import DeviceGateway
import FleetDomain
import Foundation
import Logging

extension FleetServer {
    /// Loads `Profiles/`, runs precedence for the fleet and hands the outcome to the device plane (before
    /// the CoAP server starts, so the first registration already gets its profile version).
    static func startProfiles(
        _ configuration: ServerConfiguration, store: any FleetStore, gateway: DeviceGateway, logger: Logger
    ) async throws -> ProfileService {
        let profiles = ProfileService(store: store) { await gateway.profilesChanged($0) }
        let documents = try ProfileFiles.read(configuration.profilesDirectory, logger: logger)
        let outcomes = try await profiles.load(documents)
        for case .created(let stored) in outcomes {
            logger.notice("stored a new profile version", metadata: [
                "profile": "\(stored.id)", "version": "\(stored.version)", "source": "\(stored.source)",
            ])
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

/// Runs precedence again soon after something that may change a device's desired profile (a new device,
/// an installation, a revocation), coalescing bursts: 1 000 devices registering at once cost one run.
actor ProfileRecomputation {
    static let delay: Duration = .milliseconds(300)

    let profiles: ProfileService
    let logger: Logger
    private var scheduled = false

    init(profiles: ProfileService, logger: Logger) {
        self.profiles = profiles
        self.logger = logger
    }

    nonisolated func schedule() {
        Task { await self.runSoon() }
    }

    private func runSoon() async {
        guard !scheduled else { return }
        scheduled = true
        try? await Task.sleep(for: Self.delay)
        scheduled = false
        do {
            try await profiles.recompute()
        } catch {
            logger.error("could not recompute desired profiles", metadata: ["error": "\(error)"])
        }
    }
}
