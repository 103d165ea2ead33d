import Foundation

/// The issuing side of the commands mode: calls the admin API and follows each command until its
/// device reported it done and the API shows it recorded. Runs on the main task; the receivers write
/// the device-side times into the shared `CommandTimings`.
struct CommandDriver: Sendable {
    let api: CommandAPI
    let timings: CommandTimings
    let options: CommandLoadOptions
    let control: RunControl
    /// How long a command may take to come back done before it counts as lost.
    var followTimeout: Double = 10

    private enum Outcome: Sendable {
        case issued(String)
        case refused(String)
    }

    /// Issues commands at `--command-rate` for `seconds` to random devices among `serials`, at most
    /// `--command-in-flight` API calls (with their follow-up) at once; a call that would exceed that waits,
    /// so an overloaded server lowers the rate rather than piling up calls.
    func issue(for seconds: Double, to serials: [String]) async -> CommandPhaseReport {
        let interval = UInt64(1e9 / options.commandRate)
        let start = monotonicNanoseconds()
        let end = start + UInt64(seconds * 1e9)
        var outcomes: [Outcome] = []
        await withTaskGroup(of: Outcome.self) { group in
            var next = start, running = 0
            while next < end && !control.isInterrupted && !serials.isEmpty {
                let now = monotonicNanoseconds()
                if next > now { try? await Task.sleep(nanoseconds: next - now) }
                while running >= options.commandInFlight, let outcome = await group.next() {
                    outcomes.append(outcome)
                    running -= 1
                }
                let serial = serials.randomElement()!
                group.addTask { await self.issueOne(to: serial) }
                running += 1
                next += interval
            }
            for await outcome in group { outcomes.append(outcome) }
        }
        var report = CommandPhaseReport(phase: "issue", devices: serials.count, seconds: seconds)
        report.measure(timings.entries(outcomes.compactMap { if case .issued(let id) = $0 { id } else { nil } }))
        for case .refused(let why) in outcomes {
            report.refused += 1
            report.failures["api_\(why.prefix(60))", default: 0] += 1
        }
        return report
    }

    private func issueOne(to serial: String) async -> Outcome {
        let called = monotonicNanoseconds()
        let id: String
        do {
            id = try await api.issue(options.commandAction, to: serial, ttl: options.commandTTL)
        } catch {
            return .refused("\(error)")
        }
        let answered = monotonicNanoseconds()
        timings.update(id) { $0.called = called; $0.answered = answered }
        let done = await wait(followTimeout) { timings.entry(id)?.acknowledged != nil }
        if done && !options.noPollRecorded { await pollRecorded(id) }
        return .issued(id)
    }

    /// Asks the API for the command every `--poll-interval` ms until it shows `done`; the arrival of that
    /// answer is when the result is known to be recorded (at most one interval and one HTTP round trip
    /// late). Polling harder would load the server being measured.
    private func pollRecorded(_ id: String) async {
        let deadline = monotonicNanoseconds() + UInt64(followTimeout * 1e9)
        while monotonicNanoseconds() < deadline && !control.isInterrupted {
            guard let state = try? await api.state(of: id) else { return }
            if state == "done" {
                let now = monotonicNanoseconds()
                return timings.update(id) { $0.recorded = now }
            }
            try? await Task.sleep(nanoseconds: UInt64(options.pollInterval * 1e6))
        }
    }

    /// Trips every breaker of `site` in one API call and waits until each trip is done (device side) and
    /// the store shows all of them done.
    func tripSite(_ site: String, devices: Int) async -> CommandPhaseReport {
        let called = monotonicNanoseconds()
        let trip: (batch: String, commands: [String], refused: Int)
        do {
            trip = try await api.tripSite(site, ttl: options.commandTTL)
        } catch {
            var report = CommandPhaseReport(phase: "site_trip", devices: devices, seconds: 0)
            report.failures["api_\(String(describing: error).prefix(60))"] = 1
            return report
        }
        let answered = monotonicNanoseconds()
        for id in trip.commands { timings.update(id) { $0.called = called; $0.answered = answered } }
        let timeout = 60 + Double(trip.commands.count) / 100
        _ = await wait(timeout) { timings.entries(trip.commands).allSatisfy { $0.acknowledged != nil } }
        var allRecorded: UInt64?
        if !options.noPollRecorded {
            let deadline = monotonicNanoseconds() + UInt64(timeout * 1e9)
            while monotonicNanoseconds() < deadline && !control.isInterrupted {
                guard let done = try? await api.doneCount(ofBatch: trip.batch) else { break }
                if done >= trip.commands.count { allRecorded = monotonicNanoseconds(); break }
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
        }
        let entries = timings.entries(trip.commands)
        let lastResult = entries.compactMap(\.acknowledged).max()
        var report = CommandPhaseReport(phase: "site_trip", devices: devices, seconds: milliseconds(from: called, to: lastResult).map { $0 / 1000 } ?? 0)
        report.measure(entries)
        report.refused = trip.refused
        report.lastReceiptMs = milliseconds(from: called, to: entries.compactMap(\.received).max())
        report.lastResultMs = milliseconds(from: called, to: lastResult)
        report.allRecordedMs = milliseconds(from: called, to: allRecorded)
        return report
    }

    /// Checks `condition` every millisecond until it holds (true) or `seconds` passed (false).
    private func wait(_ seconds: Double, until condition: () -> Bool) async -> Bool {
        let deadline = monotonicNanoseconds() + UInt64(seconds * 1e9)
        while !condition() {
            if monotonicNanoseconds() >= deadline || control.isInterrupted { return false }
            try? await Task.sleep(nanoseconds: 1_000_000)
        }
        return true
    }
}
