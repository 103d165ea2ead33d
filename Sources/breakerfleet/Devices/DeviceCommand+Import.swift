import AdminAPIModel
import ArgumentParser
import FleetDomain
import Foundation

extension DeviceCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import devices with their site and circuit from a CSV file (serial,model,site,circuit).",
            discussion: """
                The whole file is validated first (locally, then by the server in a dry run) and every error is \
                reported with its line and field; nothing is written unless every row is valid, or with \
                --skip-invalid only the valid rows are. Rows already in the fleet with the same model, site and \
                circuit are "unchanged", so a re-run is harmless. Imported devices are provisioned: they bring \
                factory certificates, or get operational ones when installed with a CSR.
                """)

        @Argument(help: "CSV file with the header serial,model,site,circuit.") var file: String
        @Flag(help: "Import the valid rows and report the invalid ones instead of importing nothing.") var skipInvalid = false
        @Flag(help: "Validate only; write nothing.") var dryRun = false
        @Option(help: "Rows per request (1–5000).") var chunkSize = 1000
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard (1...DeviceImporting.maxRows).contains(chunkSize) else {
                throw ValidationError("--chunk-size: \(chunkSize) is outside 1–\(DeviceImporting.maxRows)")
            }
        }

        func run() async throws {
            let started = Date()
            let parsed = try ImportFile.read(file)
            let client = try APIClient(server)
            var problems = parsed.problems
            var outcomes: [Int: ImportResult.Outcome] = [:]
            let checking = ProgressBar(label: "validating", total: parsed.rows.count)
            for (index, chunk) in parsed.rows.chunked(chunkSize).enumerated() {
                let answer: ImportAnswer = try await client.post(
                    "api/v1/devices/import", ImportRequest(rows: Array(chunk)), query: [URLQueryItem(name: "dry_run", value: "true")])
                for row in answer.rows {
                    outcomes[row.line] = row.outcome
                    problems += row.errors.map { .init(line: row.line, field: $0.field, message: $0.message) }
                }
                checking.update(min((index + 1) * chunkSize, parsed.rows.count))
            }
            checking.finish()
            let invalidLines = Set(problems.map(\.line))
            // Duplicates within a chunk are found by the file check and by the server: report each once.
            for problem in Set(problems).sorted() { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
            let toCreate = parsed.rows.filter { outcomes[$0.line] == .new && !invalidLines.contains($0.line) }
            let unchanged = parsed.rows.filter { outcomes[$0.line] == .unchanged && !invalidLines.contains($0.line) }.count
            if !invalidLines.isEmpty && !skipInvalid {
                throw CLIError("nothing written: \(invalidLines.count) invalid row(s) of \(parsed.rows.count + parsed.unreadable); fix them or pass --skip-invalid")
            }
            if dryRun {
                print("dry run: \(toCreate.count) new, \(unchanged) unchanged, \(invalidLines.count) invalid")
                return
            }
            let writing = ProgressBar(label: "importing", total: toCreate.count)
            var created = 0
            for chunk in toCreate.chunked(chunkSize) {
                let answer: ImportAnswer = try await client.post("api/v1/devices/import", ImportRequest(rows: Array(chunk)))
                created += answer.new
                writing.update(created)
            }
            writing.finish()
            let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
            print("imported \(file): \(created) created, \(unchanged) unchanged, \(invalidLines.count) invalid (skipped) in \(seconds) s")
        }
    }
}

/// A CSV import file read and checked on its own: shape, field syntax and duplicates across the whole
/// file (the server sees one chunk at a time).
struct ImportFile {
    struct Problem: Hashable, Comparable, CustomStringConvertible {
        var line: Int
        var field: String
        var message: String

        var description: String { "line \(line): \(field): \(message)" }

        static func < (a: Problem, b: Problem) -> Bool { (a.line, a.field, a.message) < (b.line, b.field, b.message) }
    }

    static let columns = ["serial", "model", "site", "circuit"]

    var rows: [ImportRow] = []
    var problems: [Problem] = []
    /// Records that could not become rows at all (wrong number of fields).
    var unreadable = 0

    static func read(_ path: String) throws -> ImportFile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("FILE: cannot read \(path) as UTF-8") }
        let records: [CSVReader.Record]
        do { records = try CSVReader.records(text) } catch { throw ValidationError("FILE: \(error)") }
        guard let header = records.first else { throw ValidationError("FILE: \(path) is empty") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard Set(names) == Set(columns), names.count == columns.count else {
            throw ValidationError("FILE: line \(header.line): the header must be \(columns.joined(separator: ",")), not \(header.fields.joined(separator: ","))")
        }
        let index = columns.map { names.firstIndex(of: $0)! }
        var file = ImportFile()
        var serialLine: [String: Int] = [:]
        var slotLine: [String: Int] = [:]
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                file.problems.append(Problem(line: record.line, field: "row", message: "expected 4 fields, found \(record.fields.count)"))
                file.unreadable += 1
                continue
            }
            let value = index.map { record.fields[$0].trimmingCharacters(in: .whitespaces) }
            let row = ImportRow(line: record.line, serial: value[0], model: value[1], site: value[2], circuit: value[3])
            if let first = serialLine[row.serial] {
                file.problems.append(Problem(line: row.line, field: "serial", message: "serial \(row.serial) is also on line \(first)"))
            } else {
                serialLine[row.serial] = row.line
            }
            let slot = row.site + "\u{0}" + row.circuit
            if let first = slotLine[slot] {
                file.problems.append(Problem(line: row.line, field: "circuit", message: "circuit \(row.circuit) of site \(row.site) is also on line \(first)"))
            } else {
                slotLine[slot] = row.line
            }
            file.rows.append(row)
        }
        return file
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
