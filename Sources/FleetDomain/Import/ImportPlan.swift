import Foundation

/// The row-by-row checks of a bulk import, as a pure computation over what the store returned.
struct ImportPlan {
    struct Parsed {
        var row: ImportRow
        var serial: Serial?
        var issues: [FieldIssue] = []
        var unchanged = false
    }

    private(set) var parsed: [Parsed]

    /// Checks each row's own fields and duplicates within the batch.
    init(_ rows: [ImportRow]) {
        var firstLineOfSerial: [String: Int] = [:]
        var firstLineOfCircuit: [String: Int] = [:]
        parsed = rows.map { row in
            var entry = Parsed(row: row, serial: Serial(row.serial))
            if entry.serial == nil { entry.issues.append(FieldIssue("serial", "serial \(row.serial) does not match \(Serial.rule)")) }
            if !Provisioning.isValidModel(row.model) {
                entry.issues.append(FieldIssue("model", "model must be \(Provisioning.modelPattern)"))
            }
            if !Site.isValidID(row.site) { entry.issues.append(FieldIssue("site", "site \(row.site) does not match \(Site.idRule)")) }
            if let issue = Installation.circuitIssue(row.circuit) { entry.issues.append(issue) }
            if let line = firstLineOfSerial[row.serial] {
                entry.issues.append(FieldIssue("serial", "serial \(row.serial) is also on line \(line)"))
            } else {
                firstLineOfSerial[row.serial] = row.line
            }
            let slot = row.site + "\u{0}" + row.circuit
            if let line = firstLineOfCircuit[slot] {
                entry.issues.append(FieldIssue("circuit", "circuit \(row.circuit) of site \(row.site) is also on line \(line)"))
            } else {
                firstLineOfCircuit[slot] = row.line
            }
            return entry
        }
    }

    /// Checks each row against the fleet: certified model, known site within the caller's counties, an
    /// existing device identical (unchanged) or absent, the circuit free.
    mutating func check(
        sites: [String: Site], existing: [Serial: Device], assignments: [Assignment], registry: CertificationRegistry,
        token: StoredToken, now: Date
    ) {
        let assignmentOf = Dictionary(assignments.map { ($0.serial, $0) }, uniquingKeysWith: { a, _ in a })
        let holderOf = Dictionary(assignments.map { ($0.siteID + "\u{0}" + $0.circuit, $0.serial) }, uniquingKeysWith: { a, _ in a })
        for index in parsed.indices {
            let row = parsed[index].row
            // Fields already found malformed are not checked again, so each gets one message.
            let flagged = Set(parsed[index].issues.map(\.field))
            var issues: [FieldIssue] = []
            if !flagged.contains("model"), let refusal = registry.refusal(row.model, at: now) {
                issues.append(FieldIssue("model", refusal))
            }
            if !flagged.contains("site") {
                if let issue = Self.siteIssue(sites[row.site], id: row.site, token: token) { issues.append(issue) }
            }
            guard let serial = parsed[index].serial, flagged.isEmpty else {
                parsed[index].issues += issues
                continue
            }
            if let device = existing[serial] {
                let assignment = assignmentOf[serial]
                if device.model == row.model, assignment?.siteID == row.site, assignment?.circuit == row.circuit {
                    parsed[index].unchanged = true
                    continue
                }
                let place = assignment.map { "at site \($0.siteID) circuit \($0.circuit)" } ?? "at no site"
                issues.append(FieldIssue("serial", "device \(serial) already exists as model \(device.model) \(place)"))
            } else if let holder = holderOf[row.site + "\u{0}" + row.circuit] {
                issues.append(FieldIssue("circuit", "circuit \(row.circuit) of site \(row.site) is held by \(holder)"))
            }
            parsed[index].issues = issues
        }
    }

    /// The site must exist and, for an installer, be in one of its counties.
    static func siteIssue(_ site: Site?, id: String, token: StoredToken) -> FieldIssue? {
        guard let site else { return FieldIssue("site", "no site \(id)") }
        do {
            try Installing.checkScope(token, site: site)
            return nil
        } catch {
            return FieldIssue("site", "\(error)")
        }
    }

    var results: [ImportResult] {
        parsed.map { entry in
            let outcome: ImportResult.Outcome = !entry.issues.isEmpty ? .invalid : entry.unchanged ? .unchanged : .new
            return ImportResult(line: entry.row.line, serial: entry.row.serial, outcome: outcome, issues: entry.issues)
        }
    }

    func newDevices(by name: String, at now: Date, random: any RandomSource) -> [ImportedDevice] {
        parsed.compactMap { entry in
            guard entry.issues.isEmpty, !entry.unchanged, let serial = entry.serial else { return nil }
            return ImportedDevice(
                device: Device(serial: serial, model: entry.row.model, state: .provisioned, provisionedAt: now),
                installation: Installation(
                    id: random.identifier(), serial: serial, siteID: entry.row.site, circuit: entry.row.circuit, method: .import,
                    installedBy: name, at: now))
        }
    }
}
