import Foundation

/// A device's result for one of its commands (`POST /v1/commands/{id}`), acknowledged with 2.04 and so
/// journaled: the ingest pipeline applies it to the command through `CommandTransitions`, after a crash too.
public struct CommandResultRecord: Sendable, Equatable {
    public var serial: Serial
    public var commandID: String
    public var report: CommandReport
    public var receivedAt: Date

    public init(serial: Serial, commandID: String, report: CommandReport, receivedAt: Date) {
        self.serial = serial
        self.commandID = commandID
        self.report = report
        self.receivedAt = receivedAt
    }
}
