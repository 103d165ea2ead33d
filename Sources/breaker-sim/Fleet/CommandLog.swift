import ArgumentParser
import BreakerSimulation
import FleetDomain
import Foundation
import Synchronization

/// `--command-log FILE`: one line per command a breaker carried out or refused, written when it decided
/// (never for a repeated delivery, which re-reports the first result): `UNIX_SECONDS SERIAL ID RESULT
/// [REASON]`. A test counts the lines of each id to prove a command took effect at most once.
final class CommandLog: Sendable {
    private let handle: Mutex<FileHandle>

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ValidationError("--command-log: cannot create \(path)")
        }
        handle = Mutex(try FileHandle(forWritingTo: URL(fileURLWithPath: path)))
    }

    /// Called on a session's loop thread when the breaker decided a command's result.
    func finished(_ id: String, _ result: CommandResult, serial: Serial, at time: Double) {
        let reason = result.reason.map { " \($0)" } ?? ""
        let line = String(format: "%.6f", time) + " \(serial) \(id) \(result.result.rawValue)\(reason)\n"
        handle.withLock { $0.write(Data(line.utf8)) }
    }
}
