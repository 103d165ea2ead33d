import FleetDomain

// Firmware targets from `/v1/firmware`: start, walk and report updates.
extension SimulatedBreaker {
    /// Starts an update to `target`: reports `downloading` now. The running version already being the
    /// target is reported `installed` at once; the same target again while it is under way changes nothing;
    /// no target (`{"version":null}`) abandons an update under way, silently.
    mutating func startFirmware(_ target: FirmwareTarget?, now: Double) -> [Outgoing] {
        guard let target else {
            firmwareUpdate = nil
            return []
        }
        if let update = firmwareUpdate, update.target.version == target.version { return [] }
        if target.version == firmwareVersion {
            firmwareUpdate = nil
            return [report(FirmwareReport(version: target.version, state: .installed))]
        }
        firmwareUpdate = FirmwareUpdate(
            target: target, now: now, bytesPerSecond: configuration.firmwareBytesPerSecond,
            failureProbability: configuration.firmwareFailureProbability, generator: &generator)
        return [report(FirmwareReport(version: target.version, state: .downloading))]
    }

    /// Reports the states an update has reached by `now`; once installed, the breaker runs the new version
    /// and registers again (it rebooted into it).
    mutating func advanceFirmware(to now: Double) -> [Outgoing] {
        guard var update = firmwareUpdate else { return [] }
        var out: [Outgoing] = []
        for state in update.advance(to: now) {
            let error = state == .failed ? update.failure?.error : nil
            out.append(report(FirmwareReport(version: update.target.version, state: state, error: error)))
            if state == .installed {
                firmwareVersion = update.target.version
                out.append(registration())
            }
        }
        firmwareUpdate = update.reported == .installed || update.reported == .failed ? nil : update
        return out
    }

    private mutating func report(_ report: FirmwareReport) -> Outgoing {
        firmwareReport = report
        return DeviceMessages.firmwareState(report)
    }
}
