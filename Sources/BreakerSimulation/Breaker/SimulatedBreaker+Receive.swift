import Foundation
import DeviceWire
import FleetDomain

// What the breaker does with what the server pushes: profiles, commands and firmware targets.
extension SimulatedBreaker {
    /// Handles a notification or answer from the server at `now` and returns the reports it causes.
    /// Throws, changing nothing, only for a body it cannot read at all (a profile without a readable id and
    /// version cannot even be reported as rejected).
    public mutating func receive(_ incoming: Incoming, now: Double) throws(SimulationError) -> [Outgoing] {
        // Faults noticed before this moment happened while the breaker was as it was: settle them first.
        var out = protect(until: max(now, self.now))
        switch incoming {
        case .profileBody(let body):
            out += try applyProfile(body: body)
        case .profile(let candidate):
            out += apply(candidate)
        case .commandsBody(let body):
            for command in try IncomingDecoding.commands(body) { out += execute(command, now: now) }
        case .commands(let commands):
            for command in commands { out += execute(command, now: now) }
        case .firmwareBody(let body):
            out += startFirmware(try IncomingDecoding.firmware(body), now: now)
        case .firmware(let target):
            out += startFirmware(target, now: now)
        }
        return out
    }

    private mutating func applyProfile(body: [UInt8]) throws(SimulationError) -> [Outgoing] {
        do {
            return apply(try ProfileDecoder.decode(body))
        } catch {
            guard let id = error.id else { throw SimulationError("profile: \(error.message)") }
            let report = ProfileReport(id: id, version: error.version ?? 0, result: .rejected, reason: error.message)
            return [DeviceMessages.profileReport(report)]
        }
    }

    /// Applies `candidate` if its values are in range and this model can carry it out; otherwise keeps
    /// the profile in force and reports every reason.
    mutating func apply(_ candidate: ThresholdProfile) -> [Outgoing] {
        let violations = ProfileValidator.validate(candidate)
            + ProfileValidator.check(candidate, capabilities: configuration.capabilities)
        let version = candidate.version ?? 0
        guard violations.isEmpty else {
            let reason = violations.map(\.message).joined(separator: "; ")
            statistics.profilesRejected += 1
            return [DeviceMessages.profileReport(ProfileReport(id: candidate.id, version: version, result: .rejected, reason: reason))]
        }
        let interval = Double(candidate.reporting.telemetryIntervalS)
        nextTelemetryAt = min(nextTelemetryAt, now + interval)
        profile = candidate
        statistics.profilesApplied += 1
        return [DeviceMessages.profileReport(ProfileReport(id: candidate.id, version: version, result: .applied))]
    }
}

/// Reads the server's command and firmware bodies.
enum IncomingDecoding {
    static func commands(_ body: [UInt8]) throws(SimulationError) -> [PendingCommand] {
        do {
            return try JSONDecoder().decode([PendingCommand].self, from: Data(body))
        } catch {
            throw SimulationError("commands: \(describe(error))")
        }
    }

    static func firmware(_ body: [UInt8]) throws(SimulationError) -> FirmwareTarget? {
        struct VersionOnly: Decodable { var version: String? }
        do {
            guard try JSONDecoder().decode(VersionOnly.self, from: Data(body)).version != nil else { return nil }
            return try JSONDecoder().decode(FirmwareTarget.self, from: Data(body))
        } catch {
            throw SimulationError("firmware: \(describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        switch decoding {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "\(decoding)"
        }
    }
}
