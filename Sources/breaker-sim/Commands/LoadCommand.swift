import ArgumentParser
import CoAPTransport
import Foundation

/// `breaker-sim load`: S sessions × W requests in flight against one resource, a handshake storm, or
/// many idle sessions held open; reports over a measured window after a warm-up.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Drive a CoAP/DTLS server with many sessions and report throughput and latency.",
        discussion: """
            Modes: ingest (default: S sessions each keeping W requests in flight), handshake (full DTLS \
            handshakes with C in progress at once, each closed with close_notify), hold (open S sessions, \
            keep them idle for --duration seconds, e.g. to measure the server's memory per session), commands \
            (S devices observe /v1/commands and answer each command done; this process issues commands \
            through the admin API --api and reports the latency from the API call to each device's receipt, \
            its result and the recorded result, phase by phase: --phase, or lines on stdin).
            """)

    enum Mode: String, ExpressibleByArgument, CaseIterable { case ingest, handshake, hold, commands }

    @Option(help: "coaps://IP[:PORT] of the server.")
    var server = ServerAddress(argument: "coaps://127.0.0.1:5684")!

    @OptionGroup var credentials: CredentialOptions
    @OptionGroup var engine: EngineOptions
    @OptionGroup var commands: CommandLoadOptions

    @Option(help: "ingest, handshake, hold or commands.")
    var mode: Mode = .ingest

    @Option(help: "DTLS sessions (ingest, hold, commands).")
    var sessions = 64

    @Option(name: .customLong("in-flight"), help: "Requests each session keeps in flight (CoAP NSTART).")
    var inFlight = 8

    @Option(help: "Resource path.")
    var resource = "/v1/telemetry"

    @Option(help: "GET, POST, PUT or DELETE.")
    var method = "POST"

    @Option(name: .customLong("content-format"), help: "Content-Format number of the payload (110 SenML JSON, 50 JSON).")
    var contentFormat = 110

    @Option(name: .customLong("payload-file"), help: "Send these bytes (default: a ~200-byte SenML pack per device, with its own bn).")
    var payloadFile: String?

    @Flag(help: "POST /v1/register on each session before the load (BreakerFleet accepts telemetry only from registered devices).")
    var register = false

    @Option(help: "Stop after this many measured responses (instead of --duration).")
    var requests: Int?

    @Option(help: "Seconds of measured load (or of holding the sessions, in hold mode).")
    var duration = 10.0

    @Option(help: "Seconds of load before the measured window.")
    var warmup = 2.0

    @Option(help: "Handshakes in progress at once (handshake mode).")
    var concurrency = 8

    @Option(name: .customLong("ready-file"), help: "Hold and ingest modes: write this file (the number of sessions up) once every session is up; in ingest mode the warm-up starts then.")
    var readyFile: String?

    @Flag(help: "Print the report as JSON on stdout instead of a table.")
    var json = false

    var coapMethod: CoAPMethod? { CoAPMethod.allCases.first { $0.description == method.uppercased() } }

    func validate() throws {
        guard (1...100_000).contains(sessions) else { throw ValidationError("--sessions must be 1…100000, got \(sessions)") }
        guard (1...64).contains(inFlight) else { throw ValidationError("--in-flight must be 1…64, got \(inFlight)") }
        guard coapMethod != nil else { throw ValidationError("--method must be GET, POST, PUT or DELETE, got \(method)") }
        guard (0...65535).contains(contentFormat) else { throw ValidationError("--content-format must be 0…65535, got \(contentFormat)") }
        guard resource.hasPrefix("/") else { throw ValidationError("--resource must start with /, got \(resource)") }
        guard duration > 0 && duration <= 3600 else { throw ValidationError("--duration must be in (0, 3600] s, got \(duration)") }
        guard warmup >= 0 && warmup <= 600 else { throw ValidationError("--warmup must be 0…600 s, got \(warmup)") }
        if let requests, requests < 1 { throw ValidationError("--requests must be at least 1, got \(requests)") }
        guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency must be 1…1000, got \(concurrency)") }
        if mode == .commands { try commands.validateForCommandsMode() }
        if let payloadFile, !FileManager.default.isReadableFile(atPath: payloadFile) {
            throw ValidationError("--payload-file \(payloadFile) cannot be read")
        }
    }

    func run() async throws {
        let control = RunControl(measuredTarget: requests ?? .max)
        control.trapSignals()
        let identities = try await credentials.devices(count: mode == .handshake ? concurrency : sessions)
        let nstart = mode == .ingest ? inFlight : 1
        let engine = try CoAPClientEngine(configuration: self.engine.configuration(sessions: identities.count, nstart: nstart))
        try engine.start()
        let report: LoadReport
        switch mode {
        case .ingest: report = try await IngestRun(command: self, engine: engine, control: control).run(identities)
        case .handshake: report = await HandshakeRun(command: self, engine: engine, control: control).run(identities)
        case .hold: report = await HoldRun(command: self, engine: engine, control: control).run(identities)
        case .commands: report = try await CommandsRun(command: self, engine: engine, control: control).run(identities)
        }
        // Commands mode printed a report per phase as it went.
        if mode != .commands { print(json ? report.json() : report.table()) }
        if report.sessionsFailed > 0 && mode != .handshake {
            Progress.line("error: \(report.sessionsFailed) of \(report.sessions) sessions could not be set up")
            throw ExitCode(2)
        }
    }
}
