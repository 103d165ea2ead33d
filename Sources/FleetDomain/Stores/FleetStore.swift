import Foundation

/// The store protocols. Every call is async so that an engine reached over the network (PostgreSQL)
/// implements them as naturally as the embedded one; nothing above the store knows SQL.
public protocol DeviceStore: Sendable {
    /// Records a new device; throws `StoreError.duplicate` if the serial exists.
    func insertDevice(_ device: Device) async throws
    func device(_ serial: Serial) async throws -> Device?
    func devices(_ query: DeviceQuery) async throws -> [Device]
    /// Every device, for warming the device plane's directory at start.
    func allDevices() async throws -> [Device]
}

/// Where acknowledged device messages end up.
public protocol IngestStore: Sendable {
    /// Applies records atomically together with the journal position they reach, so a replay after a
    /// crash can skip what is already in. Applying a record twice changes nothing (events are unique per
    /// device and id; registrations are upserts; telemetry is keyed by its journal position).
    func apply(_ records: [JournaledRecord], through position: JournalPosition) async throws
    /// The position of the last applied batch, or nil for an empty store.
    func appliedPosition() async throws -> JournalPosition?
    /// The newest `limit` event ids of each device, to warm the deduplicator at start.
    func recentEventIDs(perDevice limit: Int) async throws -> [Serial: [String]]
    /// Sets aside a record the store refuses (`StoreError.recordRefused`) with the error, and moves the
    /// checkpoint past it, in one transaction: ingest goes on, and nothing acknowledged is silently dropped.
    func quarantine(_ record: JournaledRecord, error: String, at now: Date) async throws
    /// Quarantined records, newest first.
    func quarantinedRecords(limit: Int) async throws -> [QuarantinedRecord]
}

/// A journaled record the store refused, kept with why (`breakerfleet ingest quarantine`).
public struct QuarantinedRecord: Sendable, Equatable, Codable {
    public var serial: String
    public var kind: String
    public var journalSegment: UInt64
    public var journalOffset: UInt64
    public var receivedAt: Date
    public var quarantinedAt: Date
    public var error: String
    /// The record as received (telemetry's SenML body), or a description of it.
    public var body: String

    public init(serial: String, kind: String, journalSegment: UInt64, journalOffset: UInt64, receivedAt: Date,
                quarantinedAt: Date, error: String, body: String) {
        self.serial = serial
        self.kind = kind
        self.journalSegment = journalSegment
        self.journalOffset = journalOffset
        self.receivedAt = receivedAt
        self.quarantinedAt = quarantinedAt
        self.error = error
        self.body = body
    }

    enum CodingKeys: String, CodingKey {
        case serial, kind, journalSegment = "journal_segment", journalOffset = "journal_offset"
        case receivedAt = "received_at", quarantinedAt = "quarantined_at", error, body
    }
}

/// Reads of what devices reported.
public protocol HistoryStore: Sendable {
    /// The latest value of each telemetry name of a device.
    func latestMeasurements(_ serial: Serial) async throws -> [Measurement]
    /// Telemetry packs, newest first.
    func telemetry(_ serial: Serial, limit: Int) async throws -> [StoredTelemetry]
    /// Events, newest first.
    func events(_ serial: Serial, limit: Int) async throws -> [StoredEvent]
}

public protocol TokenStore: Sendable {
    func insertToken(_ token: StoredToken) async throws
    /// The token whose SHA-256 hash is `hash` (hex), if any.
    func token(hash: String) async throws -> StoredToken?
    func tokens() async throws -> [StoredToken]
    /// Marks the token revoked at `at` (kept, so lists show who had access); nil if unknown. Revoking a
    /// revoked token changes nothing and returns it.
    func revokeToken(id: String, at: Date) async throws -> StoredToken?
}

/// Per-device pre-shared keys for PSK-only models (DTLS PSK needs the key itself, so it cannot be hashed;
/// it lives in the data folder, which only the server's user can read).
public protocol PresharedKeyStore: Sendable {
    func setPresharedKey(_ key: [UInt8], for serial: Serial, at now: Date) async throws
    func presharedKeys() async throws -> [Serial: [UInt8]]
}

/// Everything one engine provides.
public protocol FleetStore: DeviceStore, IngestStore, HistoryStore, TokenStore, ModelStore, SiteStore,
    InstallationStore, LifecycleStore, PresharedKeyStore, ProfileStore, CertificateBindingStore, SecurityEventStore,
    CommandStore, AuditStore, NotificationStore {}

public struct DeviceQuery: Sendable, Equatable {
    public var state: DeviceState?
    public var limit: Int
    public var after: Serial?

    public init(state: DeviceState? = nil, limit: Int = 100, after: Serial? = nil) {
        self.state = state
        self.limit = limit
        self.after = after
    }
}

public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `recordRefused`: the store refuses this record's content (a constraint, a value it cannot hold), as
    /// opposed to failing to write at all (disk full, I/O): retrying will not help, quarantining will.
    public enum Code: Sendable, Equatable { case duplicate, notFound, corrupt, conflict, recordRefused }
    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
