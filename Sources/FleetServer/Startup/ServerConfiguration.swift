import CoAPTransport
import FleetDomain
import Foundation

/// Everything `breakerfleet serve` can be told; the defaults run a development fleet on this machine.
public struct ServerConfiguration: Sendable {
    /// Database, journal and the local admin token.
    public var dataDirectory: URL
    /// The fleet PKI (`Certificates/` layout); a development CA is created there if none exists.
    public var pkiDirectory: URL
    public var coaps: CoAPServerConfiguration.Endpoint
    /// Plain CoAP for development (only `/.well-known/core` and `/v1/time` answer there); off by default.
    public var plainCoAP: CoAPServerConfiguration.Endpoint?
    public var httpHost: String
    public var httpPort: Int
    /// fdatasync the journal on every acknowledged message: survives power loss, at ~200 µs per message.
    public var syncJournal: Bool
    /// Accept DTLS-PSK (identity = serial, per-device key) beside certificates, for PSK-only models.
    public var enablePresharedKeys: Bool
    /// The threshold profiles loaded at start (`default.json` and one per site category).
    public var profilesDirectory: URL
    /// Observe notifications (profile pushes) leave at most this fast.
    public var notificationsPerSecond: Int
    /// How long a certificate replaced by a re-key or an EST renewal keeps working (spec default: 7 days).
    public var certificateOverlap: TimeInterval
    /// Which site webhooks notices may go to (plain http to loopback only when allowed, for development).
    public var webhooks: WebhookPolicy

    public init(
        dataDirectory: URL = URL(fileURLWithPath: "data"), pkiDirectory: URL = URL(fileURLWithPath: "Certificates"),
        coaps: CoAPServerConfiguration.Endpoint = .init(host: "0.0.0.0", port: 5684),
        plainCoAP: CoAPServerConfiguration.Endpoint? = nil, httpHost: String = "127.0.0.1", httpPort: Int = 8080,
        syncJournal: Bool = false, enablePresharedKeys: Bool = false,
        profilesDirectory: URL = URL(fileURLWithPath: "Profiles"), notificationsPerSecond: Int = 2000,
        certificateOverlap: TimeInterval = 7 * 86_400, webhooks: WebhookPolicy = WebhookPolicy()
    ) {
        self.webhooks = webhooks
        self.certificateOverlap = certificateOverlap
        self.profilesDirectory = profilesDirectory
        self.notificationsPerSecond = notificationsPerSecond
        self.dataDirectory = dataDirectory
        self.pkiDirectory = pkiDirectory
        self.coaps = coaps
        self.plainCoAP = plainCoAP
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.syncJournal = syncJournal
        self.enablePresharedKeys = enablePresharedKeys
    }

    public var databaseURL: URL { dataDirectory.appendingPathComponent("fleet.sqlite") }
    public var journalURL: URL { dataDirectory.appendingPathComponent("journal", isDirectory: true) }
    public var adminTokenURL: URL { dataDirectory.appendingPathComponent("admin.token") }
}
