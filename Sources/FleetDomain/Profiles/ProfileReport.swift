import Foundation

/// The body of `PUT /v1/profile/applied`: `{"id","version","result","reason"?}`: what a device did with the
/// profile it was given.
public struct ProfileReport: Sendable, Equatable, Hashable, Codable {
    public enum Result: String, Sendable, Codable, CaseIterable, Hashable {
        case applied, rejected
    }

    public var id: String
    public var version: Int
    public var result: Result
    /// For `rejected`: every violation, `; `-separated, each naming field, value and bound.
    public var reason: String?

    public init(id: String, version: Int, result: Result, reason: String? = nil) {
        self.id = id
        self.version = version
        self.result = result
        self.reason = reason
    }
}

/// A profile report as acknowledged to the device: the unit the journal and the store keep.
public struct ProfileReportRecord: Sendable, Equatable {
    public var serial: Serial
    public var report: ProfileReport
    public var receivedAt: Date

    public init(serial: Serial, report: ProfileReport, receivedAt: Date) {
        self.serial = serial
        self.report = report
        self.receivedAt = receivedAt
    }
}
