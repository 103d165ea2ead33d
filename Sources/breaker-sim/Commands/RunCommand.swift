import ArgumentParser
import BreakerSimulation
import CoAPTransport
import Foundation

/// `breaker-sim run`: a demo fleet. Each device registers, observes /v1/profile, /v1/commands and
/// /v1/firmware, sends telemetry on its profile's interval and events when its breaker model raises them.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a fleet of simulated breakers against a server for a while.")

    @Option(help: "coaps://IP[:PORT] of the server.")
    var server = ServerAddress(argument: "coaps://127.0.0.1:5684")!

    @OptionGroup var credentials: CredentialOptions
    @OptionGroup var engine: EngineOptions

    @Option(help: "Simulated devices (one DTLS session each).")
    var devices = 10

    @Option(help: "Seconds to run.")
    var duration = 60.0

    @Option(help: "Fault rates per device-hour, e.g. arc=0.01,leakage=0.005,overtemp=0.002,short=0.001.")
    var faults = ""

    @Option(help: "Seconds between two steps of each device's model.")
    var tick = 5.0

    @Option(help: "Capabilities the breakers declare and can carry out, comma-separated (default: all; fewer make them reject profiles that need more).")
    var caps: String?

    @Option(name: .customLong("report-log"), help: "Append one line per acknowledged profile report: UNIX_SECONDS SERIAL PROFILE VERSION RESULT.")
    var reportLog: String?

    @Option(name: .customLong("command-log"), help: "Append one line per command a breaker carried out or refused: UNIX_SECONDS SERIAL ID RESULT [REASON].")
    var commandLog: String?

    @Option(help: "Seconds of quiet after which a device sends POST /v1/heartbeat (default: the server's heartbeat_s).")
    var heartbeat: Double?

    @Option(name: .customLong("packet-loss"), help: "Drop this share of the datagrams the simulator sends, e.g. 20% (libcoap's packet-loss simulation).")
    var packetLoss: String?

    @Option(help: "Seed of the fleet's randomness (device i uses seed + i).")
    var seed: UInt64 = 1

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        guard (1...100_000).contains(devices) else { throw ValidationError("--devices must be 1…100000, got \(devices)") }
        guard duration > 0 && duration <= 86_400 else { throw ValidationError("--duration must be in (0, 86400] s, got \(duration)") }
        guard tick >= 0.1 && tick <= 600 else { throw ValidationError("--tick must be 0.1…600 s, got \(tick)") }
        if let heartbeat, !(1...86_400).contains(heartbeat) { throw ValidationError("--heartbeat must be 1…86400 s, got \(heartbeat)") }
        if let packetLoss, !packetLoss.hasSuffix("%") || Int(packetLoss.dropLast()).map({ !(0...100).contains($0) }) ?? true {
            throw ValidationError("--packet-loss must be a percentage 0%…100%, got \(packetLoss)")
        }
        do { _ = try FaultRates.parse(faults) } catch { throw ValidationError("--faults: \(error)") }
        if let unknown = capabilities.subtracting(BreakerConfiguration.allCapabilities).first {
            throw ValidationError("--caps: \(unknown) is not one of \(BreakerConfiguration.allCapabilities.sorted().joined(separator: ", "))")
        }
    }

    var capabilities: Set<String> {
        caps.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) } ?? BreakerConfiguration.allCapabilities
    }

    func run() async throws {
        let control = RunControl()
        control.trapSignals()
        let identities = try await credentials.devices(count: devices)
        let engine = try CoAPClientEngine(configuration: self.engine.configuration(sessions: identities.count, nstart: 4))
        try engine.start()
        let rates = try FaultRates.parse(faults)
        let log = try reportLog.map(ReportLog.init(path:))
        let commands = try commandLog.map(CommandLog.init(path:))
        if let packetLoss, !CoAPPacketLoss.dropSent(packetLoss) { throw ValidationError("--packet-loss: libcoap refused \(packetLoss)") }
        let summary = await FleetRun(command: self, engine: engine, control: control, rates: rates, reportLog: log, commandLog: commands)
            .run(identities)
        print(json ? summary.json() : summary.table())
        if summary.devicesFailed > 0 {
            Progress.line("error: \(summary.devicesFailed) of \(summary.devices) devices could not connect and register")
            throw ExitCode(2)
        }
    }
}
