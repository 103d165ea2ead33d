import FleetDomain
import Foundation
import Logging

/// The ingest store as the pipeline and the replay at start see it: before a batch goes into the store
/// (with the journal position it reaches), each device's command result in it is applied to its command
/// through `CommandTransitions` — the one way a command changes state, so the result is measured and
/// audited like any other transition.
///
/// A result is applied at least once and changes its command at most once: the transition commits in its
/// own transaction before the batch's checkpoint, so a crash in between replays the record, and a result
/// applied twice is `unchanged` (no second audit record). A result that reaches the store before the
/// `sent`/`delivered` the device plane recorded off its loop thread (they race) is preceded by `delivered`:
/// the device had the command, or it could not have reported on it.
public struct JournaledCommandResults: IngestStore {
    let store: any IngestStore
    let commands: any CommandStore
    let transitions: CommandTransitions
    let logger: Logger

    public init(store: any IngestStore, commands: any CommandStore, transitions: CommandTransitions, logger: Logger) {
        self.store = store
        self.commands = commands
        self.transitions = transitions
        self.logger = logger
    }

    public func apply(_ records: [JournaledRecord], through position: JournalPosition) async throws {
        for journaled in records {
            guard case .commandResult(let result) = journaled.record else { continue }
            try await apply(result)
        }
        try await store.apply(records, through: position)
    }

    func apply(_ result: CommandResultRecord) async throws {
        guard let command = try await commands.command(id: result.commandID), command.serial == result.serial else {
            // The gateway journals results only for the device's own commands; never act on another's.
            return logger.error("a journaled command result names no command of its device",
                                metadata: ["serial": "\(result.serial)", "command": "\(result.commandID)"])
        }
        let actor = CommandTransitions.Actor.device(result.serial)
        let at = result.receivedAt
        let first = try await transitions.apply(result.commandID, .reported(result.report), at: at, by: actor)
        guard case .refused? = first?.outcome else { return }
        try await transitions.apply(result.commandID, .delivered, at: at, by: actor)
        if let again = try await transitions.apply(result.commandID, .reported(result.report), at: at, by: actor),
           case .refused(let rule) = again.outcome {
            logger.error("a device's command result does not apply", metadata: [
                "serial": "\(result.serial)", "command": "\(result.commandID)", "rule": "\(rule)"])
        }
    }

    public func appliedPosition() async throws -> JournalPosition? { try await store.appliedPosition() }

    public func recentEventIDs(perDevice limit: Int) async throws -> [Serial: [String]] {
        try await store.recentEventIDs(perDevice: limit)
    }

    public func quarantine(_ record: JournaledRecord, error: String, at now: Date) async throws {
        try await store.quarantine(record, error: error, at: now)
    }

    public func quarantinedRecords(limit: Int) async throws -> [QuarantinedRecord] {
        try await store.quarantinedRecords(limit: limit)
    }
}
