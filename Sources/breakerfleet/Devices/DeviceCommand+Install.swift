import AdminAPIModel
import ArgumentParser
import FleetDomain
import Foundation

/// `--csr FILE --out DIR`: re-key at installation; the certificate comes back, the key stays on the device.
struct RekeyOptions: ParsableArguments {
    @Option(help: "A PEM CSR (CN = serial, P-256) to get an operational certificate for.") var csr: String?
    @Option(help: "With --csr: folder to write SERIAL.crt and ca.crt into.") var out: String?

    func validate() throws {
        if csr != nil && out == nil { throw ValidationError("--out: needed with --csr, to write the certificate into") }
        if csr == nil && out != nil { throw ValidationError("--out: only used with --csr") }
    }

    func csrText() throws -> String? {
        guard let csr else { return nil }
        guard let text = try? String(contentsOfFile: csr, encoding: .utf8) else { throw ValidationError("--csr: cannot read \(csr)") }
        return text
    }
}

/// Prints an installation answer and writes the certificate when there is one.
func reportInstalled(_ answer: Installed, serial: String, rekey: RekeyOptions) throws {
    let installation = answer.installation
    let place = "site \(installation.site) circuit \(installation.circuit): \(answer.device.state.rawValue)"
    if let from = installation.fromSite {
        print("moved \(serial) from site \(from) to \(place) (reason: \(installation.reason ?? ""))")
    } else {
        print("installed \(serial) at \(place)")
    }
    if let out = rekey.out, let certificate = answer.certificate, let ca = answer.caCertificate {
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(certificate.utf8).write(to: folder.appendingPathComponent("\(serial).crt"))
        try Data(ca.utf8).write(to: folder.appendingPathComponent("ca.crt"))
        print("operational certificate: \(out)/\(serial).crt, \(out)/ca.crt")
    }
}

/// Where a device goes: the serial, the site and the circuit, checked before anything is sent.
struct PlacementOptions: ParsableArguments {
    @Argument(help: "Serial number.") var serial: String
    @Option(help: "Site id.") var site: String
    @Option(help: "Circuit label (1–64 characters).") var circuit: String

    func validate() throws {
        guard Serial.isValid(serial) else { throw ValidationError("SERIAL: \(serial) does not match \(Serial.rule)") }
        guard Site.isValidID(site) else { throw ValidationError("--site: \(site) does not match \(Site.idRule)") }
        if let issue = Installation.circuitIssue(circuit, field: "--circuit") { throw ValidationError(issue.description) }
    }

    func install(reason: String?, rekey: RekeyOptions, server: ServerOptions) async throws {
        if let reason, let issue = Retirement.reasonIssue(reason) { throw ValidationError("--reason: \(issue.message)") }
        let body = InstallRequest(site: site, circuit: circuit, csr: try rekey.csrText(), reason: reason)
        let answer: Installed = try await APIClient(server).post("api/v1/devices/\(serial)/installation", body)
        try reportInstalled(answer, serial: serial, rekey: rekey)
    }
}

extension DeviceCommand {
    struct Install: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bind a device to a site and circuit; it becomes active (admin, or installer in the site's county).",
            discussion: "A device active at another site is moved only with a reason: see `device move`.")

        @OptionGroup var placement: PlacementOptions
        @Option(help: "Why (kept with the installation; required to move a device active at another site).") var reason: String?
        @OptionGroup var rekey: RekeyOptions
        @OptionGroup var server: ServerOptions

        func run() async throws { try await placement.install(reason: reason, rekey: rekey, server: server) }
    }

    /// `install` with the reason required: moving an active device between sites is a decision on record,
    /// so it gets its own verb rather than an optional flag an installer might not notice it needs.
    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move an active device to another site's circuit, with a reason (admin, or installer of both counties).")

        @OptionGroup var placement: PlacementOptions
        @Option(help: "Why it moves (kept with who and when in the installation history).") var reason: String
        @OptionGroup var rekey: RekeyOptions
        @OptionGroup var server: ServerOptions

        func run() async throws { try await placement.install(reason: reason, rekey: rekey, server: server) }
    }

    /// `revoke` and `decommission`: the same shape, a different end state.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a device: its certificate is refused and its requests get 4.03 (admin).")
        @Argument(help: "Serial number.") var serial: String
        @Option(help: "Why (kept with who and when).") var reason: String
        @OptionGroup var server: ServerOptions

        func validate() throws { try validateRetirement(serial: serial, reason: reason) }

        func run() async throws {
            let answer: RetiredDevice = try await APIClient(server).post("api/v1/devices/\(serial)/revoke", RetireRequest(reason: reason))
            print("revoked \(serial): \(answer.device.state.rawValue)")
        }
    }

    struct Decommission: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a device out of service: history kept, its circuit freed (admin).")
        @Argument(help: "Serial number.") var serial: String
        @Option(help: "Why (kept with who and when).") var reason: String
        @OptionGroup var server: ServerOptions

        func validate() throws { try validateRetirement(serial: serial, reason: reason) }

        func run() async throws {
            let answer: RetiredDevice = try await APIClient(server).post(
                "api/v1/devices/\(serial)/decommission", RetireRequest(reason: reason))
            print("decommissioned \(serial): \(answer.device.state.rawValue)")
        }
    }
}

private func validateRetirement(serial: String, reason: String) throws {
    guard Serial.isValid(serial) else { throw ValidationError("SERIAL: \(serial) does not match \(Serial.rule)") }
    if let issue = Retirement.reasonIssue(reason) { throw ValidationError("--reason: \(issue.message)") }
}
