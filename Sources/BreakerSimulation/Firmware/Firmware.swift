/// The body of `GET /v1/firmware` when the server wants a firmware installed.
public struct FirmwareTarget: Sendable, Equatable, Hashable, Codable {
    public var version: String
    public var size: Int?
    public var sha256: String?
    public var uri: String?
    public var campaign: String?

    public init(version: String, size: Int? = nil, sha256: String? = nil, uri: String? = nil, campaign: String? = nil) {
        self.version = version
        self.size = size
        self.sha256 = sha256
        self.uri = uri
        self.campaign = campaign
    }
}

/// The states of `PUT /v1/firmware/state`, in the order an update walks them.
public enum FirmwareState: String, Sendable, Codable, CaseIterable, Hashable {
    case downloading, downloaded, installing, installed, failed
}

/// The body of `PUT /v1/firmware/state`: `{"version","state","error"?}`.
public struct FirmwareReport: Sendable, Equatable, Hashable {
    public var version: String
    public var state: FirmwareState
    public var error: String?

    public init(version: String, state: FirmwareState, error: String? = nil) {
        self.version = version
        self.state = state
        self.error = error
    }
}
