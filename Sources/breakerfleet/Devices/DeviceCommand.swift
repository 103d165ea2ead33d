import AdminAPIModel
import ArgumentParser
import FleetDomain
import FleetPKI
import Foundation

struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Provision and inspect devices.",
        subcommands: [Provision.self, List.self, Show.self, Install.self, Move.self, Import.self, Revoke.self, Decommission.self])

    struct Provision: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a device key and certificate (CN = SERIAL) from the fleet CA and record the device.")

        @Argument(help: "Serial number, \(Serial.rule).") var serial: String
        @Option(help: "Model code.") var model: String
        @Option(help: "Folder to write SERIAL.crt, SERIAL.key (0600) — or SERIAL.psk (0600) for a PSK-only model — and ca.crt into.") var out: String
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard Serial.isValid(serial) else { throw ValidationError("SERIAL: \(serial) does not match \(Serial.rule)") }
            guard Provisioning.isValidModel(model) else { throw ValidationError("--model: \(model) is not \(Provisioning.modelPattern)") }
        }

        func run() async throws {
            let answer: Provisioned = try await APIClient(server).post(
                "api/v1/devices", ProvisionRequest(serial: serial, model: model))
            let credentials = answer.credentials
            let ca = credentials.caCertificatePEM
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(ca.utf8).write(to: folder.appendingPathComponent("ca.crt"))
            if let psk = credentials.presharedKey {
                // A PSK-only model: identity = serial, the key text in a private file.
                try SecureFile.write(Array((psk + "\n").utf8), to: folder.appendingPathComponent("\(serial).psk"), mode: SecureFile.privateMode)
                print("provisioned \(serial) (\(model), PSK-only): identity \(serial), key in \(out)/\(serial).psk, \(out)/ca.crt")
                return
            }
            guard let certificate = credentials.certificatePEM, let key = credentials.privateKeyPEM else {
                throw CLIError("the server's answer has neither a certificate nor a PSK")
            }
            try Data(certificate.utf8).write(to: folder.appendingPathComponent("\(serial).crt"))
            try SecureFile.write(Array(key.utf8), to: folder.appendingPathComponent("\(serial).key"), mode: SecureFile.privateMode)
            print("provisioned \(serial) (\(model)): \(out)/\(serial).crt, \(out)/\(serial).key, \(out)/ca.crt")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List devices with their state and last contact.")

        @Option(help: "Only devices in this stored state: \(DeviceState.allCases.map(\.rawValue).joined(separator: ", ")).")
        var state: String?
        @Option(help: "At most this many (1–1000).") var limit = 100
        @Option(help: "Instead: devices whose current certificate ends within this time (\(DurationArgument.help)), soonest first.")
        var certExpiring: DurationArgument?
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard (1...1000).contains(limit) else { throw ValidationError("--limit: \(limit) is outside 1–1000") }
            if certExpiring != nil && state != nil { throw ValidationError("--cert-expiring lists by certificate; drop --state") }
            if let state, DeviceState(rawValue: state) == nil {
                throw ValidationError("--state: \(state) is not one of \(DeviceState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            if let certExpiring { return try await listExpiring(within: certExpiring) }
            var query = [URLQueryItem(name: "limit", value: "\(limit)")]
            if let state { query.append(URLQueryItem(name: "state", value: state)) }
            let answer: DeviceList = try await APIClient(server).get("api/v1/devices", query: query)
            if json { return try printJSON(answer) }
            let rows = answer.devices.map { device in
                [device.serial, device.model, device.state.rawValue, text(device.firmware), text(device.lastSeen)]
            }
            printTable(header: ["SERIAL", "MODEL", "STATE", "FIRMWARE", "LAST SEEN"], rows: rows)
        }

        private func listExpiring(within: DurationArgument) async throws {
            let answer: ExpiringCertificates = try await APIClient(server).get(
                "api/v1/certificates/expiring", query: [URLQueryItem(name: "within", value: "\(within.seconds)")])
            if json { return try printJSON(answer) }
            print("current certificates ending before \(text(answer.before)): \(answer.devices.count)")
            printTable(header: ["SERIAL", "NOT AFTER", "FINGERPRINT", "SOURCE"], rows: answer.devices.map { entry in
                [entry.serial, text(entry.certificate.notAfter), entry.certificate.fingerprint.short, entry.certificate.source.rawValue]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one device with its latest telemetry and events.")

        @Argument(help: "Serial number.") var serial: String
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard Serial.isValid(serial) else { throw ValidationError("SERIAL: \(serial) does not match \(Serial.rule)") }
        }

        func run() async throws {
            let client = try APIClient(server)
            let answer: DeviceDetail = try await client.get("api/v1/devices/\(serial)")
            if json { return try printJSON(answer) }
            let bound: DeviceCertificates = try await client.get("api/v1/devices/\(serial)/certificates")
            let device = answer.device
            let fields: [(String, String)] = [
                ("serial", device.serial), ("model", device.model), ("state", device.state.rawValue),
                ("firmware", text(device.firmware)), ("hardware", text(device.hardware)),
                ("registered_at", text(device.registeredAt)), ("last_seen", text(device.lastSeen)),
            ]
            for (key, value) in fields { print("\(key.padding(toLength: 14, withPad: " ", startingAt: 0))\(value)") }
            if !answer.latest.isEmpty {
                print("\nlatest telemetry")
                printTable(header: ["NAME", "VALUE", "UNIT", "TIME"], rows: answer.latest.map { m in
                    [m.name, m.value.map(number) ?? m.stringValue ?? text(m.boolValue), text(m.unit), number(m.time)]
                })
            }
            if !bound.certificates.isEmpty {
                print("\ncertificates (SHA-256; the current one has no replaced time)")
                printTable(header: ["FINGERPRINT", "ISSUER", "NOT BEFORE", "NOT AFTER", "BOUND", "REPLACED", "SOURCE"],
                           rows: bound.certificates.map { c in
                    [c.fingerprint.hex, c.issuerFingerprint.short, text(c.notBefore), text(c.notAfter), text(c.boundAt),
                     text(c.supersededAt), c.source.rawValue]
                })
            }
            if !answer.events.isEmpty {
                print("\nevents")
                printTable(header: ["ID", "TYPE", "AT", "ACTION"], rows: answer.events.map { e in
                    [e.id, e.type.rawValue, String(e.at), text(e.action?.rawValue)]
                })
            }
        }
    }
}
