import CoAPTransport
import Foundation

/// Commands mode: S devices connect, register and observe `/v1/commands`, answering every command with
/// `done` at once; meanwhile this process issues commands through the admin API, so one clock measures
/// from the API call to each device's receipt and result. What to do comes as phases (`--phase`, or lines
/// on stdin so that a script can line them up with load from another process); each prints one report.
struct CommandsRun {
    let command: LoadCommand
    let engine: CoAPClientEngine
    let control: RunControl

    func run(_ identities: [SimulatedIdentity]) async throws -> LoadReport {
        let control = control
        let options = command.commands
        let timings = CommandTimings()
        let receivers = identities.map {
            CommandReceiver(serial: $0.serial, timings: timings, control: control, heartbeat: options.heartbeat)
        }
        let registration = SenMLPayload.registration(model: command.credentials.model, caps: Self.caps)
        let ramp = SessionRamp(engine: engine, server: command.server.endpoint,
                               concurrency: command.engine.connectConcurrency, control: control)
        let started = monotonicNanoseconds()
        _ = await ramp.open(identities) { session, index in receivers[index].start(on: session, registration: registration) }
        let rampSeconds = Double(monotonicNanoseconds() - started) / 1e9
        let ready = control.ready.load(ordering: .relaxed)
        // Only devices that observe are commanded (a command to one that failed to connect would count as lost).
        let serials = timings.observingSerials
        var connected = CommandPhaseReport(phase: "connected", devices: ready, seconds: rampSeconds)
        connected.failures = control.failedToConnect.load(ordering: .relaxed) > 0
            ? ["sessions_failed": control.failedToConnect.load(ordering: .relaxed)] : [:]
        emit(connected)

        let driver = CommandDriver(api: try options.makeAPI(), timings: timings, options: options, control: control)
        for await phase in phases() {
            switch phase {
            case .issue(let seconds): emit(await driver.issue(for: seconds, to: serials))
            case .siteTrip(let site): emit(await driver.tripSite(site, devices: ready))
            case .pause(let seconds): await pause(seconds: seconds) { control.isInterrupted }
            case .quit: break
            }
            if phase == .quit || control.isInterrupted { break }
        }
        control.stopping.store(true, ordering: .relaxed)
        engine.shutdown()
        return LoadReport(
            mode: "commands", server: command.server.description, sessions: identities.count, sessionsReady: ready,
            sessionsFailed: control.failedToConnect.load(ordering: .relaxed), windowSeconds: rampSeconds, completed: ready,
            total: ready, throughputPerSecond: Double(ready) / max(rampSeconds, 0.001), latencyMs: nil, responses: [:],
            failures: [:], unfinished: 0, clientCPUMicrosPerOperation: nil)
    }

    /// The model must have `remote_trip` for the server to issue trips; a device declares what it has.
    static let caps = ["temperature", "leakage", "remote_trip", "remote_reset"]

    private func emit(_ report: CommandPhaseReport) {
        // Unbuffered: a script waits for each line while the run goes on.
        FileHandle.standardOutput.write(Data(((command.json ? report.jsonLine() : report.text()) + "\n").utf8))
    }

    /// The `--phase` steps, or lines read from stdin until `quit`, its end, or SIGINT/SIGTERM.
    private func phases() -> AsyncStream<CommandPhase> {
        let (stream, input) = AsyncStream.makeStream(of: CommandPhase.self)
        if !command.commands.phases.isEmpty {
            for phase in command.commands.phases.compactMap(CommandPhase.init(argument:)) { input.yield(phase) }
            input.finish()
            return stream
        }
        let control = control
        // readLine blocks: a thread of its own, and a watcher that ends the stream on a signal.
        Thread.detachNewThread {
            while let line = readLine() {
                if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                if let phase = CommandPhase(argument: line) { input.yield(phase) } else { Progress.line("ignored: \(line)") }
            }
            input.finish()
        }
        Task.detached {
            while !control.isInterrupted { try? await Task.sleep(nanoseconds: 50_000_000) }
            input.finish()
        }
        return stream
    }
}
