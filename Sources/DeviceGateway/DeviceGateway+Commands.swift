import CoAPTransport
import DeviceWire
import FleetDomain
import FleetJournal
import Foundation

// `/v1/commands` (GET, Observe) and `/v1/commands/{id}` (POST): the device side of remote commands.
//
// Delivery is at least once: a new command is pushed as a confirmable notification to a device that
// observes `/v1/commands` (`sent` when it leaves, `delivered` once the transport learnt the device
// acknowledged it), and listed on the device's next GET otherwise (`delivered`: the piggy-backed answer is
// its receipt). The device executes each id at most once and reports its result, which is journaled before
// the 2.04 like any acknowledged message.
extension DeviceGateway {
    static let commandsPath = "v1/commands"
    static let commandResultPrefix = "v1/commands/"

    /// `GET /v1/commands`: the device's pending commands, oldest first. Also builds each notification.
    func commandList(_ request: CoAPRequest) -> CoAPResponse {
        guard let peer = request.peer else { return .error(.forbidden, "plain CoAP carries no device identity: use coaps://") }
        guard let identity = identity(of: request, peer: peer) else { return .error(.forbidden, "certificate not accepted") }
        guard request.method == .get else { return .error(.methodNotAllowed, "GET only") }
        guard let entry = state.directory[identity.serial] else {
            return .error(.forbidden, "device \(identity.serial) is not registered: POST /v1/register first")
        }
        if entry.state.isBarred { return .error(.forbidden, "device \(identity.serial) is \(entry.state.rawValue)") }
        let serial = identity.serial
        let listed = state.commands.listing(of: serial, at: clock())
        var answer = CoAPResponse(.content, contentFormat: .json, payload: DeviceResponses.commands(listed.map(\.listing)))
        let undelivered = listed.filter { $0.state != .delivered }.map(\.id)
        guard !undelivered.isEmpty else { return answer }
        if request.isNotification {
            record(.sent, state.commands.advance(undelivered, to: .sent, of: serial), of: serial)
            answer.acknowledged = { [self] _, acknowledged in
                // Loop thread. Not acknowledged: they stay `sent` and are listed at the device's next GET.
                guard acknowledged else { return }
                self.record(.delivered, self.state.commands.advance(undelivered, to: .delivered, of: serial), of: serial)
            }
        } else {
            record(.delivered, state.commands.advance(undelivered, to: .delivered, of: serial), of: serial)
        }
        return answer
    }

    /// `POST /v1/commands/{id}` `{"result","breaker","reason"?}`: 2.04 once journaled; a repeat is 2.04 and
    /// changes nothing; 4.04 for an id that is not one of this device's commands.
    func commandResult(_ request: CoAPRequest) -> CoAPResponse {
        handle(request, method: .post, format: .json, requireKnown: true) { identity, now in
            let id = String(request.path.dropFirst(Self.commandResultPrefix.count))
            guard Command.isWellFormedID(id), let known = state.commands.knows(id, of: identity.serial) else {
                return .error(.notFound, "no command \(Diagnostic.echo(id)) for \(identity.serial)")
            }
            let report = try DeviceRequestParser.commandResult(Array(request.payload))
            if known == .reported { return CoAPResponse(.changed) }
            let record = CommandResultRecord(serial: identity.serial, commandID: id, report: report, receivedAt: now)
            let body = CommandResultBody.encode(id: id, deviceBody: request.payload)
            try body.withUnsafeBytes { try journal(.commandResult, identity.serial, now, state: 0, $0, .commandResult(record)) }
            state.commands.reported(id, of: identity.serial)
            // More waited than one list holds: the next ones go as soon as the earlier are answered.
            if state.commands.hasUnsent(of: identity.serial, at: now) {
                server?.notifyObservers(of: Self.commandsPath, peers: [identity.serial.rawValue])
            }
            return CoAPResponse(.changed)
        }
    }

    /// `POST /v1/heartbeat`, empty or `{"uptime_s","rssi"?}`: journaled as contact, answered with what the
    /// device should know: its profile and firmware versions and how many commands wait for it.
    func heartbeat(_ request: CoAPRequest) -> CoAPResponse {
        handle(request, method: .post, format: .json, requireKnown: true, emptyBodyAllowed: true) { identity, now in
            let report = try DeviceRequestParser.heartbeat(Array(request.payload))
            let record = HeartbeatRecord(serial: identity.serial, report: report, receivedAt: now)
            try journal(.heartbeat, identity.serial, now, state: 0, request.payload, .heartbeat(record))
            let entry = state.directory[identity.serial]
            let answer = DeviceResponses.heartbeat(
                profileVersion: desiredProfile(of: identity.serial)?.version, firmwareVersion: entry?.targetFirmwareVersion,
                pendingCommands: state.commands.pendingCount(of: identity.serial, at: now))
            return CoAPResponse(.changed, contentFormat: .json, payload: answer)
        }
    }

    /// Hands what the device plane did with commands to the store, off the loop thread.
    private func record(_ event: CommandLifecycle.Event, _ ids: [String], of serial: Serial) {
        guard !ids.isEmpty else { return }
        commandEventRecorded?(ids, event, serial)
    }

    /// Takes a device's open commands as the store now has them (any thread) and notifies the device if it
    /// observes `/v1/commands` and a command appeared that it was not given yet.
    public func commandsRefreshed(_ serial: Serial, open commands: [Command]) {
        guard let server else { return }
        server.perform { [self] in
            guard self.state.commands.refresh(serial, from: commands) else { return }
            server.notifyObservers(of: Self.commandsPath, peers: [serial.rawValue])
        }
    }

    /// Fills the command cache before the server starts: every open command, and recently finished ones
    /// (so a repeated report after a restart is still answered 2.04).
    public func warmUpCommands(open: [Command], finished: [Command]) {
        state.commands.warmUp(open: open, finished: finished)
    }
}
