import Foundation

/// One CSV row of a bulk import, with the line it came from so every error can point at it.
public struct ImportRow: Sendable, Equatable, Codable {
    public var line: Int
    public var serial: String
    public var model: String
    public var site: String
    public var circuit: String

    public init(line: Int, serial: String, model: String, site: String, circuit: String) {
        self.line = line
        self.serial = serial
        self.model = model
        self.site = site
        self.circuit = circuit
    }
}

/// What became, or would become, of a row.
public struct ImportResult: Sendable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        /// A new device (created, or to be created in a dry run).
        case new
        /// The device already exists with this model, site and circuit: re-running an import is harmless.
        case unchanged
        case invalid
    }

    public var line: Int
    public var serial: String
    public var outcome: Outcome
    public var issues: [FieldIssue]
}

/// Bulk import: devices with their planned site and circuit, recorded as `provisioned` (they bring factory
/// certificates, or get operational ones at installation through a CSR) — no credentials are issued here.
///
/// A batch is validated as a whole first; it is written in one transaction, and only if every row is valid.
public struct DeviceImporting: Sendable {
    public static let maxRows = 5000

    let store: any Installing.Store
    /// Where the ids of the planned installations come from.
    let random: any RandomSource
    let deviceChanged: @Sendable (Device) -> Void

    public init(store: any Installing.Store, random: any RandomSource, deviceChanged: @escaping @Sendable (Device) -> Void) {
        self.store = store
        self.random = random
        self.deviceChanged = deviceChanged
    }

    /// Validates `rows`; unless `dryRun`, writes the new ones if none is invalid, else throws
    /// `DomainError.invalid` listing each invalid row's fields as `rows[i].field`, messages starting `line N:`.
    public func run(_ rows: [ImportRow], dryRun: Bool, by token: StoredToken, now: Date) async throws -> [ImportResult] {
        var plan = ImportPlan(rows)
        let serials = plan.parsed.compactMap(\.serial)
        let siteIDs = Set(plan.parsed.map(\.row.site).filter(Site.isValidID))
        let sites = Dictionary(try await store.sites(ids: siteIDs).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let existing = Dictionary(try await store.devices(serials: serials).map { ($0.serial, $0) }, uniquingKeysWith: { a, _ in a })
        let assignments = try await store.assignments(serials: serials, sites: siteIDs)
        let registry = try await store.certificationRegistry()
        plan.check(sites: sites, existing: existing, assignments: assignments, registry: registry, token: token, now: now)

        let results = plan.results
        if dryRun { return results }
        let invalid = results.enumerated().flatMap { index, result in
            result.issues.map { FieldIssue("rows[\(index)].\($0.field)", "line \(result.line): \($0.message)") }
        }
        guard invalid.isEmpty else { throw DomainError.invalid(invalid) }
        let items = plan.newDevices(by: token.name, at: now, random: random)
        if !items.isEmpty {
            do {
                try await store.importDevices(items)
            } catch let error as StoreError where error.code == .duplicate || error.code == .conflict {
                throw DomainError(.conflict, "\(error.message) (changed since validation: run the import again)")
            }
        }
        for item in items { deviceChanged(item.device) }
        return results
    }
}
