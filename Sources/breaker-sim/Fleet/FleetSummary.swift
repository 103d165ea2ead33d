import BreakerSimulation
import Foundation

/// What a demo fleet did: devices up, what their models raised, and how the server answered.
struct FleetSummary: JSONReport {
    var devices: Int
    var devicesReady: Int
    var devicesFailed: Int
    var seconds: Double
    var telemetryPacks = 0
    var trips = 0
    var profilesApplied = 0
    var profilesRejected = 0
    var faults: [String: Int] = [:]
    var events: [String: Int] = [:]
    var responses: [String: Int] = [:]
    var failures: [String: Int] = [:]
    /// Pushed bodies the models could not read (they changed nothing).
    var unreadableBodies = 0
    /// Certificates renewed over EST (less than a fifth of their validity left), and failed renewals.
    var certificatesRenewed = 0
    var renewalsFailed = 0
    /// Commands carried out (each id once per device), results reported by outcome, heartbeats sent, and
    /// command lists fetched because an answer said commands were waiting.
    var commandsExecuted = 0
    var commandResults: [String: Int] = [:]
    var heartbeats = 0
    var commandFetches = 0

    init(devices: [SimulatedDevice], ready: Int, failed: Int, seconds: Double) {
        self.devices = devices.count
        self.devicesReady = ready
        self.devicesFailed = failed
        self.seconds = seconds
        var tally = LoadTally()
        for device in devices {
            let statistics = device.breaker.statistics
            telemetryPacks += statistics.telemetryPacks
            trips += statistics.trips
            profilesApplied += statistics.profilesApplied
            profilesRejected += statistics.profilesRejected
            for (kind, count) in statistics.faults { faults[kind.rawValue, default: 0] += count }
            for (type, count) in statistics.events { events["\(type.rawValue)", default: 0] += count }
            tally.merge(device.tally)
            unreadableBodies += device.rejectedBodies
            certificatesRenewed += device.renewals.succeeded
            renewalsFailed += device.renewals.failed
            commandsExecuted += statistics.commandsExecuted
            for (outcome, count) in statistics.commandResults { commandResults[outcome.rawValue, default: 0] += count }
            heartbeats += device.heartbeats
            commandFetches += device.commandFetches
        }
        responses = LoadReport.responseClasses(tally.classes)
        failures = tally.failures
    }

    func table() -> String {
        func list(_ counts: [String: Int]) -> String {
            counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "  ")
        }
        return [
            ("devices", "\(devicesReady) running, \(devicesFailed) failed, \(String(format: "%.0f", seconds)) s"),
            ("telemetry", "\(telemetryPacks) packs"), ("faults", list(faults)), ("events", list(events)),
            ("trips", "\(trips)"), ("profiles", "\(profilesApplied) applied, \(profilesRejected) rejected"),
            ("responses", list(responses)), ("failures", list(failures)),
            ("unreadable", "\(unreadableBodies) pushed bodies"),
            ("renewals", "\(certificatesRenewed) certificates renewed, \(renewalsFailed) failed"),
            ("commands", "\(commandsExecuted) executed; results \(list(commandResults))"),
            ("contact", "\(heartbeats) heartbeats, \(commandFetches) command lists fetched"),
        ].map { $0.0.padding(toLength: 11, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n")
    }
}
