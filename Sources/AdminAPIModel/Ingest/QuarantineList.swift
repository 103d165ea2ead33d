import FleetDomain

/// `GET /api/v1/ingest/quarantine`: records the store refused, newest first.
public struct QuarantineList: Codable, Sendable, Equatable {
    public var records: [QuarantinedRecord]

    public init(records: [QuarantinedRecord]) {
        self.records = records
    }
}
