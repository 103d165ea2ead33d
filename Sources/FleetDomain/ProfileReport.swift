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

extension DeviceRequestParser {
    /// Bounds of `PUT /v1/profile/applied`.
    public enum ProfileReportLimits {
        public static let id = RegistrationLimits.profileID
        public static let version = RegistrationLimits.profileVersion
        /// A rejection lists every violation, so its reason may be long.
        public static let reason = 1...2048
    }

    /// The body of `PUT /v1/profile/applied`: `id` matches `[a-z0-9-]{1,64}`, `version` 0…2^31−1, `result`
    /// `applied` or `rejected`, `reason` 1–2048 bytes if present.
    public static func profileReport(_ body: [UInt8]) throws(DeviceAPIError) -> ProfileReport {
        let fields = try JSONFields(body: body)
        let id = try fields.string("id", bytes: ProfileReportLimits.id)
        guard ThresholdProfile.isValidID(id) else {
            throw .invalid("id", "\(Diagnostic.echo(id)) does not match [a-z0-9-]{1,64}")
        }
        let version = try fields.integer("version", in: ProfileReportLimits.version)
        let result = try fields.choice("result", ProfileReport.Result.self)
        let reason = try fields.optionalString("reason", bytes: ProfileReportLimits.reason)
        return ProfileReport(id: id, version: version, result: result, reason: reason)
    }
}
