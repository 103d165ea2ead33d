import Foundation

/// What an assignment (or its removal) did.
public struct AssignmentOutcome: Sendable, Equatable, Codable {
    public struct Refusal: Sendable, Equatable, Codable {
        public var serial: String
        public var reasons: [String]

        public init(serial: String, reasons: [String]) {
            self.serial = serial
            self.reasons = reasons
        }
    }

    public var target: ProfileTarget
    public var profileID: String
    /// Devices whose desired profile changed (connected ones are notified, the rest learn at registration).
    public var devicesChanged: Int
    /// Devices the profile was refused for, because their model cannot carry it out.
    public var refused: [Refusal]

    public init(target: ProfileTarget, profileID: String, devicesChanged: Int, refused: [Refusal]) {
        self.target = target
        self.profileID = profileID
        self.devicesChanged = devicesChanged
        self.refused = refused
    }

    private enum CodingKeys: String, CodingKey {
        case target, profileID = "profile", devicesChanged = "devices_changed", refused
    }
}
