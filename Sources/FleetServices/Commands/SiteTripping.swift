import FleetDomain
import Foundation

/// Trips every breaker of a site at once (evacuation, fire): a dry run says what would be tripped and why
/// some would not; the real run needs the site id typed again, and issues one trip per breaker the
/// interlocks allow, tagged with one batch id so its results can be followed.
public struct SiteTripping: Sendable {
    /// One breaker of the site, and what a site trip does to it.
    public struct Entry: Sendable, Equatable {
        public var serial: Serial
        public var circuit: String
        /// Nil if it is (or would be) tripped; else the interlock that refuses it.
        public var refusal: String?
        /// The trip issued for it (real runs only).
        public var command: Command?
    }

    public struct Outcome: Sendable, Equatable {
        public var siteID: String
        /// Nil for a dry run.
        public var batch: String?
        public var entries: [Entry]
    }

    let issuing: CommandIssuing

    public init(issuing: CommandIssuing) {
        self.issuing = issuing
    }

    /// What a trip of `siteID` would do, changing nothing.
    public func plan(_ siteID: String) async throws -> Outcome {
        Outcome(siteID: siteID, batch: nil, entries: try await entries(of: siteID))
    }

    /// Trips every breaker of `siteID` the interlocks allow. `confirmation` must be the site id again.
    public func trip(_ siteID: String, confirmation: String, reason: String, ttl: TimeInterval,
                     by issuer: CommandIssuing.Issuer) async throws -> Outcome {
        guard confirmation == siteID else {
            throw DomainError.invalid("confirm", "confirm must repeat the site id \(siteID) exactly (got \(confirmation.isEmpty ? "nothing" : confirmation))")
        }
        let batch = "trip-" + Hex.encode(issuing.environment.random.bytes(6))
        var entries = try await entries(of: siteID)
        let tripped = entries.indices.filter { entries[$0].refusal == nil }
        let orders = tripped.map { index in
            (CommandIssuing.Order(serial: entries[index].serial, action: .trip, reason: reason, ttl: ttl, siteTrip: batch),
             CommandInterlocks.Approval.notNeeded)
        }
        // One transaction for every trip (and one for their audit records): a site of 1 000 breakers is
        // tripped as fast as the device plane can push, not as fast as 1 000 commits.
        let commands = try await issuing.insert(orders, by: issuer)
        for (index, command) in zip(tripped, commands) { entries[index].command = command }
        return Outcome(siteID: siteID, batch: batch, entries: entries)
    }

    private func entries(of siteID: String) async throws -> [Entry] {
        guard try await issuing.store.site(siteID) != nil else { throw DomainError(.notFound, "no site \(siteID)") }
        let assignments = try await issuing.store.assignments(serials: [], sites: [siteID])
            .filter { $0.siteID == siteID }
            .sorted { $0.circuit == $1.circuit ? $0.serial.rawValue < $1.serial.rawValue : $0.circuit < $1.circuit }
        // The interlocks' facts, a few devices at a time (the store's readers run concurrently).
        return try await withThrowingTaskGroup(of: (Int, Entry).self) { group in
            var entries: [Entry?] = Array(repeating: nil, count: assignments.count)
            var next = 0
            func add(_ index: Int) {
                let assignment = assignments[index]
                group.addTask { (index, try await self.entry(for: assignment)) }
            }
            while next < min(Self.concurrency, assignments.count) { add(next); next += 1 }
            while let (index, entry) = try await group.next() {
                entries[index] = entry
                if next < assignments.count { add(next); next += 1 }
            }
            return entries.compactMap { $0 }
        }
    }

    static let concurrency = 8

    private func entry(for assignment: Assignment) async throws -> Entry {
        var refusal: String?
        if let facts = try await issuing.facts(for: assignment.serial) {
            if case .failure(let refused) = CommandInterlocks.check(.trip, inspectedBy: nil, facts: facts) {
                refusal = refused.message
            }
        } else {
            refusal = "device \(assignment.serial) is not in the registry"
        }
        return Entry(serial: assignment.serial, circuit: assignment.circuit, refusal: refusal)
    }
}
