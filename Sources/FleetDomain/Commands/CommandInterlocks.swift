import Foundation

/// What the safety rules of remote commands look at, gathered from the store for one device.
public struct CommandFacts: Sendable {
    public var device: Device
    /// Nil if the model is not (or no longer) in the registry.
    public var model: CertifiedModel?
    /// The `remote` group of the profile the device should run, and that profile's name for messages
    /// (`care-home v3`, or `no profile (defaults)`).
    public var remote: ThresholdProfile.Remote
    public var profileName: String
    /// The newest trip the device reported that no reset has cleared since: its cause and time.
    public var unclearedTrip: (cause: String, at: Date)?
    /// The device's commands that are not final yet, oldest first.
    public var openCommands: [Command]

    public init(device: Device, model: CertifiedModel?, remote: ThresholdProfile.Remote, profileName: String,
                unclearedTrip: (cause: String, at: Date)?, openCommands: [Command]) {
        self.device = device
        self.model = model
        self.remote = remote
        self.profileName = profileName
        self.unclearedTrip = unclearedTrip
        self.openCommands = openCommands
    }
}

/// A command the safety rules refuse: which rule, and what would satisfy it.
public struct InterlockRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable name for the rule (`model-capability`, `profile-forbids`, `short-circuit-latch`,
    /// `trip-pending`, `device-barred`, `no-certificate`).
    public var rule: String
    public var message: String

    public init(rule: String, _ message: String) {
        self.rule = rule
        self.message = message
    }

    public var description: String { message }

    /// As the admin API reports it: 409 with the rule as the problem's type and title.
    public var domainError: DomainError {
        DomainError(.conflict, message, rule: DomainError.Rule(rule, Self.titles[rule] ?? "A safety interlock refuses this command"))
    }

    private static let titles = [
        "device-barred": "The device is revoked or decommissioned",
        "model-capability": "The model cannot perform this action remotely",
        "profile-forbids": "The device's profile forbids this remote action",
        "trip-pending": "A reset waits while a trip is pending",
        "short-circuit-latch": "A reset after a short circuit needs the inspector's name",
        "no-certificate": "The device has no certificate to renew",
    ]
}

/// The safety interlocks of remote commands (issue 11, design.md "Safety first in commands"): a pure
/// decision over `CommandFacts`, shared by single commands and site-wide trips.
public enum CommandInterlocks {
    /// Whether `action` may be issued: allowed (possibly only after a second admin's approval), or refused
    /// by the first rule it breaks.
    public static func check(_ action: RemoteAction, inspectedBy: String?, facts: CommandFacts)
        -> Result<Approval, InterlockRefusal>
    {
        let serial = facts.device.serial
        if facts.device.state.isBarred {
            return .failure(InterlockRefusal(rule: "device-barred",
                "device \(serial) is \(facts.device.state.rawValue): it is refused on every request and cannot be commanded"))
        }
        switch action {
        case .trip:
            if let refusal = capability(.remoteTrip, of: facts) { return .failure(refusal) }
            guard facts.remote.allowRemoteTrip else {
                return .failure(InterlockRefusal(rule: "profile-forbids",
                    "profile \(facts.profileName) sets remote.allow_remote_trip to false for \(serial): assign it a profile that allows remote trips"))
            }
            return .success(.notNeeded)
        case .reset:
            if let refusal = capability(.remoteReset, of: facts) { return .failure(refusal) }
            guard facts.remote.allowRemoteReset else {
                return .failure(InterlockRefusal(rule: "profile-forbids",
                    "profile \(facts.profileName) sets remote.allow_remote_reset to false for \(serial): reset it at the cabinet, or assign a profile that allows remote resets"))
            }
            if let trip = facts.openCommands.last(where: { $0.action == .trip }) {
                return .failure(InterlockRefusal(rule: "trip-pending",
                    "trip \(trip.id) for \(serial) is still \(trip.state.rawValue): wait for its result or cancel it before a reset"))
            }
            if let trip = facts.unclearedTrip, trip.cause == EventType.shortCircuit.rawValue,
               (inspectedBy ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                return .failure(InterlockRefusal(rule: "short-circuit-latch",
                    "\(serial) last tripped on a short circuit (\(ISO8601DateFormatter().string(from: trip.at))): a reset needs the name of whoever inspected the circuit (--inspected-by NAME, inspected_by)"))
            }
            return .success(facts.remote.resetRequiresConfirm ? .needed : .notNeeded)
        case .selfTest:
            return .success(.notNeeded)
        case .renew:
            if facts.model?.capabilities.contains(.pskOnly) == true {
                return .failure(InterlockRefusal(rule: "no-certificate",
                    "model \(facts.device.model) is PSK-only: \(serial) has no certificate to renew"))
            }
            return .success(.notNeeded)
        }
    }

    /// Whether a second admin must approve before the command is sent.
    public enum Approval: Sendable, Equatable {
        case needed, notNeeded
    }

    private static func capability(_ needed: ModelCapability, of facts: CommandFacts) -> InterlockRefusal? {
        guard let model = facts.model else {
            return InterlockRefusal(rule: "model-capability",
                "model \(facts.device.model) of \(facts.device.serial) is not in the certified-model registry: its capabilities are unknown")
        }
        guard model.capabilities.contains(needed) else {
            return InterlockRefusal(rule: "model-capability",
                "model \(model.code) cannot perform this remotely (it lacks capability \(needed.rawValue)): only models certified with \(needed.rawValue) accept it")
        }
        return nil
    }
}
