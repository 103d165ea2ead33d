import ArgumentParser
import BreakerSimulation
import FleetDomain
import Foundation
import Synchronization

/// `--report-log FILE`: one line per profile report the server acknowledged,
/// `UNIX_SECONDS SERIAL PROFILE VERSION RESULT`, so a benchmark can time a push from the devices' side
/// without polling the server while it pushes.
final class ReportLog: Sendable {
    private let handle: Mutex<FileHandle>

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ValidationError("--report-log: cannot create \(path)")
        }
        handle = Mutex(try FileHandle(forWritingTo: URL(fileURLWithPath: path)))
    }

    /// Called on a session's loop thread when the server answered a report with 2.xx.
    func acknowledged(_ report: ProfileReport, serial: Serial, at time: Double) {
        let line = String(format: "%.6f", time) + " \(serial) \(report.id) \(report.version) \(report.result.rawValue)\n"
        handle.withLock { $0.write(Data(line.utf8)) }
    }
}
