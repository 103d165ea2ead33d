import FleetDomain
import Logging

/// Runs precedence again soon after something that may change a device's desired profile (a new device,
/// an installation, a revocation), coalescing bursts: 1 000 devices registering at once cost one run.
public actor ProfileRecomputation {
    public static let delay: Duration = .milliseconds(300)

    let profiles: ProfileService
    /// Measures the coalescing delay.
    let timer: any Clock<Duration>
    let logger: Logger
    private var scheduled = false

    public init(profiles: ProfileService, timer: any Clock<Duration>, logger: Logger) {
        self.profiles = profiles
        self.timer = timer
        self.logger = logger
    }

    public nonisolated func schedule() {
        Task { await self.runSoon() }
    }

    private func runSoon() async {
        guard !scheduled else { return }
        scheduled = true
        try? await timer.sleep(for: Self.delay)
        scheduled = false
        do {
            try await profiles.recompute()
        } catch {
            logger.error("could not recompute desired profiles", metadata: ["error": "\(error)"])
        }
    }
}
