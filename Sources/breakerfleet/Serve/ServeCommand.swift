import ArgumentParser
import CoAPTransport
import FleetServer
import FleetDomain
import FleetPKI
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the CoAP/DTLS device gateway and the admin API.",
        discussion: """
            With no flags: SQLite in ./data, the PKI in ./Certificates (a development CA is created if there \
            is none), coaps on 0.0.0.0:5684, the admin API on 127.0.0.1:8080, and an admin token in \
            ./data/admin.token that the CLI on this machine picks up.
            """)

    @Option(help: "Folder for the database, the journal and the local admin token.")
    var dataDir: String = ProcessInfo.processInfo.environment["BREAKERFLEET_DATA_DIR"] ?? "data"

    @Option(help: "Folder of the fleet PKI (fleet-ca.crt/key, server.crt/key, manufacturers/).")
    var pkiDir: String = "Certificates"

    @Option(help: "CoAP over DTLS endpoint, HOST:PORT.")
    var coaps = HostPort(host: "0.0.0.0", port: 5684)

    @Option(help: "DEVELOPMENT ONLY: also listen for plain CoAP on HOST:PORT (only /.well-known/core and /v1/time answer).")
    var insecureCoap: HostPort?

    @Option(help: "Admin API endpoint, HOST:PORT.")
    var http = HostPort(host: "127.0.0.1", port: 8080)

    @Flag(help: "fdatasync the journal before every acknowledgement (survives power loss; much slower).")
    var syncJournal = false

    @Flag(help: "Also accept DTLS-PSK (identity = serial) for devices of PSK-only models.")
    var enablePsk = false

    @Option(help: "Folder of the threshold profiles loaded at start (default.json and one per site category).")
    var profilesDir: String = "Profiles"

    @Option(help: "Observe notifications (profile pushes) sent per second at most, 1–100000.")
    var notificationsPerSecond: Int = 2000

    @Option(help: "How long a device's certificate keeps working after a re-key or renewal replaced it (\(DurationArgument.help)).")
    var certificateOverlap: DurationArgument = DurationArgument(argument: "7d")!

    @Flag(help: "Also post site notices to plain http://127.0.0.1 (or ::1, localhost) webhooks: for development and trials only.")
    var allowLoopbackHttpWebhooks = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level: \(logLevel) is not one of trace, debug, info, notice, warning, error, critical")
        }
        guard (1...100_000).contains(notificationsPerSecond) else {
            throw ValidationError("--notifications-per-second: \(notificationsPerSecond) is outside 1–100000")
        }
        for (name, endpoint) in [("--coaps", coaps), ("--http", http)] where endpoint.port == 0 {
            throw ValidationError("\(name): port must be 1–65535")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "breakerfleet")
        let configuration = ServerConfiguration(
            dataDirectory: URL(fileURLWithPath: dataDir), pkiDirectory: URL(fileURLWithPath: pkiDir),
            coaps: .init(host: coaps.host, port: UInt16(coaps.port)),
            plainCoAP: insecureCoap.map { .init(host: $0.host, port: UInt16($0.port)) },
            httpHost: http.host, httpPort: http.port, syncJournal: syncJournal,
            enablePresharedKeys: enablePsk, profilesDirectory: URL(fileURLWithPath: profilesDir),
            notificationsPerSecond: notificationsPerSecond, certificateOverlap: TimeInterval(certificateOverlap.seconds),
            webhooks: WebhookPolicy(allowsLoopbackHTTP: allowLoopbackHttpWebhooks))
        do {
            try await FleetServer.run(configuration, logger: logger)
        } catch let error as PKIError {
            // A trust anchor or key that cannot be used stops the start, saying which file and why.
            logger.critical("cannot start: the fleet PKI in \(pkiDir) cannot be used: \(error.message)")
            throw ExitCode.failure
        }
    }
}
