/// A position in the ingest journal: segment number and byte offset after a record.
/// Ordered, so the store can tell which records it already holds.
public struct JournalPosition: Sendable, Equatable, Comparable, Hashable, CustomStringConvertible {
    public var segment: UInt64
    public var offset: UInt64

    public init(segment: UInt64, offset: UInt64) {
        self.segment = segment
        self.offset = offset
    }

    public static func < (lhs: JournalPosition, rhs: JournalPosition) -> Bool {
        (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
    }

    public var description: String { "\(segment):\(offset)" }
}

/// A record with the journal position just after it: its unique, replay-stable key.
public struct JournaledRecord: Sendable, Equatable {
    public var position: JournalPosition
    public var record: IngestRecord

    public init(position: JournalPosition, record: IngestRecord) {
        self.position = position
        self.record = record
    }
}
