import FleetDomain

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
