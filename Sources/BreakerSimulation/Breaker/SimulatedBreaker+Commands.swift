import FleetDomain

// Remote commands (spec "Commands"): each id is executed at most once, an expired command is refused, a
// reset after a short circuit needs `inspected_by`, and `renew` is handed to the network side.
extension SimulatedBreaker {
    /// Executes `command` unless it ran before (then its first result is reported again, marked a repeat),
    /// is under way (a renewal), or has expired.
    mutating func execute(_ command: PendingCommand, now: Double) -> [Outgoing] {
        if let earlier = commandResults[command.id] {
            var again = DeviceMessages.commandResult(id: command.id, earlier)
            again.isRepeat = true
            return [again]
        }
        if renewalsUnderWay.contains(command.id) { return [] }
        if now >= Double(command.expires) {
            return finish(command.id, CommandResult(result: .rejected, breaker: position, reason: CommandResult.Reason.expired))
        }
        if command.action == .renew {
            renewalsUnderWay.insert(command.id)
            statistics.commandsExecuted += 1
            return [DeviceMessages.renewal(commandID: command.id)]
        }
        let (result, out) = perform(command, now: now)
        statistics.commandsExecuted += 1
        return finish(command.id, result) + out
    }

    /// The network side finished the EST renewal a `renew` command asked for: `renewed` when the new
    /// certificate is stored. Returns the command's result to report.
    public mutating func renewalFinished(commandID: String, renewed: Bool) -> [Outgoing] {
        guard renewalsUnderWay.remove(commandID) != nil else { return [] }
        let result = renewed
            ? CommandResult(result: .done, breaker: position)
            : CommandResult(result: .failed, breaker: position, reason: CommandResult.Reason.renewalFailed)
        return finish(commandID, result)
    }

    private mutating func finish(_ id: String, _ result: CommandResult) -> [Outgoing] {
        commandResults.record(result, for: id)
        statistics.commandResults[result.result, default: 0] += 1
        return [DeviceMessages.commandResult(id: id, result)]
    }

    private mutating func perform(_ command: PendingCommand, now: Double) -> (CommandResult, [Outgoing]) {
        switch command.action {
        case .trip:
            guard profile.remote.allowRemoteTrip else {
                return (CommandResult(result: .rejected, breaker: position, reason: CommandResult.Reason.remoteTripDisabled), [])
            }
            guard position == .closed else { return (CommandResult(result: .done, breaker: .open), []) }
            position = .open
            tripCause = "remote"
            recloseAt = nil
            let event = raise(.trip, at: now, value: nil, phase: nil, action: .tripped)
            return (CommandResult(result: .done, breaker: .open), [event])
        case .reset:
            guard profile.remote.allowRemoteReset else {
                return (CommandResult(result: .rejected, breaker: position, reason: CommandResult.Reason.remoteResetDisabled), [])
            }
            // Never a remote re-close after a short circuit unless someone inspected the circuit (spec/profiles.md).
            if isLatched {
                guard command.inspectedBy != nil else {
                    return (CommandResult(result: .rejected, breaker: position, reason: CommandResult.Reason.latchedShortCircuit), [])
                }
                isLatched = false
            }
            guard position == .open else { return (CommandResult(result: .done, breaker: .closed), []) }
            recloseAt = nil
            return (CommandResult(result: .done, breaker: .closed), close(at: now))
        case .selfTest:
            let event = raise(.selfTest, at: now, value: nil, phase: nil, action: nil)
            return (CommandResult(result: .done, breaker: position), [event])
        case .renew:
            preconditionFailure("renew is handed to the network side")
        }
    }
}
