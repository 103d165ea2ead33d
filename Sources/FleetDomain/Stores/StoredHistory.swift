import Foundation

public struct StoredTelemetry: Sendable, Equatable, Codable {
    public var receivedAt: Date
    public var measurements: [Measurement]

    public init(receivedAt: Date, measurements: [Measurement]) {
        self.receivedAt = receivedAt
        self.measurements = measurements
    }
}

public struct StoredEvent: Sendable, Equatable, Codable {
    public var report: EventReport
    public var receivedAt: Date

    public init(report: EventReport, receivedAt: Date) {
        self.report = report
        self.receivedAt = receivedAt
    }
}

/// An API token as stored: only the SHA-256 of the secret, never the secret.
public struct StoredToken: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var role: Role
    public var hash: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?
    /// County codes an installer token may install in (six digits each); empty for other roles.
    public var counties: [String]

    public init(
        id: String, name: String, role: Role, hash: String, createdAt: Date, expiresAt: Date? = nil, revokedAt: Date? = nil,
        counties: [String] = []
    ) {
        self.counties = counties
        self.id = id
        self.name = name
        self.role = role
        self.hash = hash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    public func isValid(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }
}

public enum Role: String, Sendable, Codable, CaseIterable {
    case admin, installer, supervisor
}
