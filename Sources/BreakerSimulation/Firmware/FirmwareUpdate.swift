/// A firmware update walking downloading → downloaded → installing → installed, or ending failed.
///
/// Its whole course is decided when it starts (how long the download takes at the configured speed,
/// whether and where it fails), so a seed replays it exactly.
struct FirmwareUpdate: Sendable, Equatable {
    /// Size assumed when the server gives none.
    static let defaultSize = 512 * 1024
    static let installSeconds = 30.0

    struct Failure: Sendable, Equatable {
        var at: Double
        var error: String
    }

    let target: FirmwareTarget
    let downloadedAt: Double
    let installedAt: Double
    let failure: Failure?
    /// The last state reported.
    var reported: FirmwareState = .downloading

    init(target: FirmwareTarget, now: Double, bytesPerSecond: Double, failureProbability: Double, generator: inout SeededGenerator) {
        self.target = target
        let size = target.size ?? Self.defaultSize
        downloadedAt = now + max(1, Double(size) / bytesPerSecond)
        installedAt = downloadedAt + Self.installSeconds
        guard generator.unit() < failureProbability else {
            failure = nil
            return
        }
        if generator.unit() < 0.5 {
            let fraction = generator.uniform(0.05...0.95)
            failure = Failure(
                at: now + (downloadedAt - now) * fraction,
                error: "download failed: connection reset after \(Int(Double(size) * fraction)) of \(size) bytes")
        } else {
            failure = Failure(at: downloadedAt + 1, error: "image rejected: sha256 mismatch")
        }
    }

    /// The states reached by `now` that were not reported yet, in order.
    mutating func advance(to now: Double) -> [FirmwareState] {
        var states: [FirmwareState] = []
        while let next = step(now), next != reported {
            states.append(next)
            reported = next
            if next == .installed || next == .failed { break }
        }
        return states
    }

    private func step(_ now: Double) -> FirmwareState? {
        if let failure, now >= failure.at { return .failed }
        switch reported {
        case .downloading: return now >= downloadedAt ? .downloaded : nil
        case .downloaded: return .installing
        case .installing: return now >= installedAt ? .installed : nil
        case .installed, .failed: return nil
        }
    }
}
