import CoAPTransport
import Foundation

/// Ingest mode: every session (optionally after registering) keeps W requests in flight; completions in
/// the window after the warm-up are measured.
struct IngestRun {
    let command: LoadCommand
    let engine: CoAPClientEngine
    let control: RunControl

    func run(_ identities: [SimulatedIdentity]) async throws -> LoadReport {
        let control = control
        let fixedPayload = try command.payloadFile.map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) }
        let format = ContentFormat(rawValue: UInt16(command.contentFormat))
        let loads = identities.map { identity in
            SessionLoad(
                request: CoAPClientRequest(
                    command.coapMethod!, command.resource, contentFormat: format,
                    payload: fixedPayload ?? SenMLPayload.pack(serial: identity.serial)),
                window: command.inFlight, control: control)
        }
        let registration = command.register ? SenMLPayload.registration(model: command.credentials.model) : nil
        let ramp = SessionRamp(engine: engine, server: command.server.endpoint,
                               concurrency: command.engine.connectConcurrency, control: control)
        let sessions = await ramp.open(identities) { session, _ in
            guard let registration else {
                control.ready.add(1, ordering: .relaxed)
                return
            }
            session.send(CoAPClientRequest(.post, "/v1/register", contentFormat: .json, payload: registration)) { result in
                if case .success(let response) = result, response.code.isSuccess {
                    control.ready.add(1, ordering: .relaxed)
                } else {
                    control.failedToConnect.add(1, ordering: .relaxed)
                    Progress.line("register failed on session \(session.id): \(Self.describe(result))")
                }
            }
        }

        if let readyFile = command.readyFile {
            // Another process (scripts/bench) lines its own work up with this load's measured window.
            _ = FileManager.default.createFile(atPath: readyFile, contents: Data("\(control.ready.load(ordering: .relaxed))\n".utf8))
        }
        let start = monotonicNanoseconds() + UInt64(command.warmup * 1e9)
        control.windowStart.store(start, ordering: .relaxed)
        if command.requests == nil { control.windowEnd.store(start + UInt64(command.duration * 1e9), ordering: .relaxed) }
        for (session, load) in zip(sessions, loads) {
            session.perform { session in
                if session.state == CoAPClientSession.State.connected { load.start(on: session) }
            }
        }
        let (end, cpu) = await control.measureWindow(warmup: command.warmup)
        // Let the last requests come back (bounded), so every session closes with nothing outstanding.
        await control.drain(for: 3) { control.inFlight.load(ordering: .relaxed) }
        let unfinished = control.inFlight.load(ordering: .relaxed)
        engine.shutdown()

        var tally = LoadTally()
        for load in loads { tally.merge(load.tally) }
        let window = Double(end - min(start, end)) / 1e9
        return LoadReport(
            mode: "ingest", server: command.server.description, resource: command.resource, method: command.method.uppercased(),
            payloadBytes: loads.first?.request.payload.count, sessions: identities.count, inFlight: command.inFlight,
            concurrency: nil, sessionsReady: control.ready.load(ordering: .relaxed),
            sessionsFailed: control.failedToConnect.load(ordering: .relaxed), windowSeconds: window,
            completed: tally.measured, total: tally.classes.values.reduce(0, +), throughputPerSecond: window > 0 ? Double(tally.measured) / window : 0,
            latencyMs: .init(micros: tally.latenciesMicros), responses: LoadReport.responseClasses(tally.classes),
            failures: tally.failures, unfinished: unfinished,
            clientCPUMicrosPerOperation: tally.measured > 0 ? cpu * 1e6 / Double(tally.measured) : nil)
    }

    static func describe(_ result: CoAPClientResult) -> String {
        switch result {
        case .success(let response): "\(response.code) \(response.text)"
        case .failure(let failure): "\(failure)"
        }
    }
}
