import AdminAPIModel
import ArgumentParser
import FleetDomain
import FleetServices
import Foundation

struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Threshold profiles: check, push, assign, compare, follow the rollout.",
        subcommands: [
            Validate.self, Push.self, List.self, Show.self, Versions.self, Diff.self, Assign.self, Unassign.self,
            Assignments.self, Status.self,
        ])

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check profile files offline against spec/profiles.md (exit 0 if all are valid, 1 if not).")

        @Argument(help: "Profile JSON files.") var files: [String]
        @Option(help: "Also check that a model with these capabilities (comma-separated) can carry them out.")
        var capabilities: String?

        func run() throws {
            var failed = false
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    print("\(file): cannot read the file")
                    failed = true
                    continue
                }
                do {
                    let profile = try ProfileService.check([UInt8](data))
                    let unmet = capabilities.map {
                        ProfileValidator.check(profile, capabilities: Set($0.split(separator: ",").map(String.init)))
                    } ?? []
                    if unmet.isEmpty {
                        print("\(file): valid (\(profile.id), \(profile.siteCategory.rawValue))")
                    } else {
                        failed = true
                        print("\(file): valid, but the model cannot carry it out:")
                        for violation in unmet { print("  \(violation)") }
                    }
                } catch let rejection as ProfileRejection {
                    failed = true
                    print("\(file): \(rejection.lines.count) problem(s)")
                    for line in rejection.lines { print("  \(line)") }
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a profile file as a new version (refused whole if invalid) and push it to its devices.")
        @Argument(help: "Profile JSON file.") var file: String
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("\(file): cannot read the file") }
            let answer: ProfileRepresentation = try await APIClient(server).post("api/v1/profiles", document: data)
            if json { return try printJSON(answer) }
            let profile = answer.profile
            print(answer.changed == true ? "pushed \(profile.id) as version \(text(profile.version))"
                                         : "unchanged: \(profile.id) version \(text(profile.version)) has the same content")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The latest version of every profile.")
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let answer: ProfileList = try await APIClient(server).get("api/v1/profiles")
            if json { return try printJSON(answer) }
            printTable(header: ["ID", "VERSION", "CATEGORY", "SOURCE", "ASSIGNED TO"], rows: answer.profiles.map { profile in
                [profile.id, String(profile.version), profile.siteCategory, profile.source,
                 (profile.assignedTo ?? []).joined(separator: ", ")]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One version of a profile (the latest by default).")
        @Argument(help: "Profile id.") var id: String
        @Option(help: "Version number.") var version: Int?
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let query = version.map { [URLQueryItem(name: "version", value: "\($0)")] } ?? []
            try printJSON(try await APIClient(server).get("api/v1/profiles/\(id)", query: query, as: ProfileRepresentation.self))
        }
    }

    struct Versions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every version of a profile, oldest first.")
        @Argument(help: "Profile id.") var id: String
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let answer: ProfileVersionList = try await APIClient(server).get("api/v1/profiles/\(id)/versions")
            printTable(header: ["VERSION", "CREATED", "SOURCE"], rows: answer.versions.map {
                [String($0.version), text($0.createdAt), $0.source]
            })
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The fields that differ between two versions of a profile.")
        @Argument(help: "Profile id.") var id: String
        @Argument(help: "Older version.") var from: Int
        @Argument(help: "Newer version.") var to: Int
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let answer: DiffRepresentation = try await APIClient(server).get("api/v1/profiles/\(id)/diff", query: [
                URLQueryItem(name: "from", value: "\(from)"), URLQueryItem(name: "to", value: "\(to)"),
            ])
            if answer.changes.isEmpty { return print("\(id): versions \(from) and \(to) are the same") }
            print("\(id) \(from) → \(to):")
            for change in answer.changes { print("  \(change.field): \(change.old) → \(change.new)") }
        }
    }

    /// `--device S | --site S | --category C`, exactly one.
    struct TargetOptions: ParsableArguments {
        @Option(help: "A device serial.") var device: String?
        @Option(help: "A site id.") var site: String?
        @Option(help: "A site category: \(Site.categoryList).") var category: String?

        func validate() throws {
            let given = [device, site, category].compactMap { $0 }
            guard given.count == 1 else { throw ValidationError("give exactly one of --device, --site, --category") }
            if let device, Serial(device) == nil { throw ValidationError("--device: \(device) does not match \(Serial.rule)") }
            if let site, !Site.isValidID(site) { throw ValidationError("--site: \(site) does not match \(Site.idRule)") }
            if let category, SiteCategory(rawValue: category) == nil || category == SiteCategory.default.rawValue {
                throw ValidationError("--category: \(category) is not one of \(Site.categoryList)")
            }
        }

        var pair: (ProfileTarget.Kind, String) {
            if let device { return (.device, device) }
            if let site { return (.site, site) }
            return (.category, category ?? "")
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign a profile to a device, a site or a category and push it to the devices it changes.")
        @Argument(help: "Profile id.") var id: String
        @OptionGroup var target: TargetOptions
        @Option(help: "Follow the rollout for at most this long (\(DurationArgument.help)): applied / devices of the profile.")
        var wait: DurationArgument?
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let (kind, key) = target.pair
            let client = try APIClient(server)
            let answer: AssignmentOutcome = try await client.put(
                "api/v1/profile-assignments", AssignmentRequest(profile: id, kind: kind, key: key))
            if json { return try printJSON(answer) }
            print("assigned \(id) to \(kind.rawValue) \(key): \(answer.devicesChanged) device(s) get a new desired profile")
            ProfileCommand.printRefusals(answer)
            if let wait { try await ProfileCommand.follow(id, client: client, for: wait.seconds) }
        }
    }

    struct Unassign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove the profile of a device, a site or a category.")
        @OptionGroup var target: TargetOptions
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let (kind, key) = target.pair
            let answer: AssignmentOutcome = try await APIClient(server).delete(
                "api/v1/profile-assignments", query: [URLQueryItem(name: kind.rawValue, value: key)])
            print("removed \(answer.profileID) from \(kind.rawValue) \(key): \(answer.devicesChanged) device(s) changed")
        }
    }

    struct Assignments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every assignment.")
        @OptionGroup var server: ServerOptions

        func run() async throws {
            let answer: AssignmentList = try await APIClient(server).get("api/v1/profile-assignments")
            printTable(header: ["TARGET", "KEY", "PROFILE", "BY", "AT"], rows: answer.assignments.map {
                [$0.targetKind.rawValue, $0.target, $0.profile, $0.assignedBy, text($0.assignedAt)]
            })
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rollout of profiles: desired vs applied, pending, stale, rejected (with reasons), refused.")
        @Option(help: "Group by profile, site, county or category.") var by: String = "profile"
        @Option(help: "Only devices that should run (or were refused) this profile.") var profile: String?
        @Option(help: "A device is stale when not confirmed after this many of its heartbeats.") var staleAfter: Int = 3
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard ProfileStatusGrouping(rawValue: by) != nil else {
                throw ValidationError("--by: \(by) is not one of \(ProfileStatusGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1...100).contains(staleAfter) else { throw ValidationError("--stale-after: \(staleAfter) is outside 1–100") }
        }

        func run() async throws {
            var query = [URLQueryItem(name: "by", value: by), URLQueryItem(name: "stale_after", value: "\(staleAfter)")]
            if let profile { query.append(URLQueryItem(name: "profile", value: profile)) }
            let answer: ProfileStatusReport = try await APIClient(server).get("api/v1/profile-status", query: query)
            if json { return try printJSON(answer) }
            let columns = ProfileProgress.allCases.map(\.rawValue)
            printTable(header: [by.uppercased(), "DEVICES"] + columns.map { $0.uppercased() }, rows: answer.rows.map { row in
                [row.group, String(row.devices)] + columns.map { String(row.counts[$0] ?? 0) }
            })
            if !answer.attention.isEmpty {
                print("\nneeds attention:")
                for device in answer.attention {
                    print("  \(device.serial) \(device.progress.rawValue) \(text(device.profile)): \(text(device.reason))")
                }
                if answer.attentionTruncated { print("  … (more; use --json or narrow with --profile)") }
            }
        }
    }

    /// Shows how many devices of `profile` confirmed it, until all did or `seconds` passed (exit 1 then).
    static func follow(_ profile: String, client: APIClient, for seconds: Int) async throws {
        let deadline = Date().addingTimeInterval(Double(seconds))
        var bar: ProgressBar?
        var applied = 0, devices = 0
        repeat {
            let status: ProfileStatusReport = try await client.get(
                "api/v1/profile-status", query: [URLQueryItem(name: "profile", value: profile)])
            let rows = status.rows.filter { $0.group.hasPrefix("\(profile)@") }
            devices = rows.reduce(0) { $0 + $1.devices }
            applied = rows.reduce(0) { $0 + ($1.counts[ProfileProgress.applied.rawValue] ?? 0) }
            if bar == nil { bar = ProgressBar(label: "applied", total: devices) }
            bar?.update(applied)
            if applied >= devices { break }
            try await Task.sleep(for: .seconds(1))
        } while Date() < deadline
        bar?.finish()
        print("\(applied) of \(devices) device(s) confirmed \(profile)")
        if applied < devices {
            print("not confirmed yet: see `breakerfleet profile status --profile \(profile)`")
            throw ExitCode(1)
        }
    }

    static func printRefusals(_ answer: AssignmentOutcome) {
        let refused = answer.refused
        guard !refused.isEmpty else { return }
        print("refused for \(refused.count) device(s) whose model cannot carry it out (they keep a profile that fits):")
        for device in refused.prefix(50) {
            print("  \(device.serial): \(device.reasons.joined(separator: "; "))")
        }
    }
}
