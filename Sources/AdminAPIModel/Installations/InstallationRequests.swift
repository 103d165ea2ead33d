import FleetDomain
import Foundation

/// `POST /api/v1/devices/{serial}/installation`: `{"site","circuit","csr"?,"reason"?}`.
public struct InstallRequest: Codable, Sendable, Equatable {
    public var site: String
    public var circuit: String
    /// A PEM CSR for an operational certificate (re-keying at installation).
    public var csr: String?
    /// Why; required to move a device that is active at another site.
    public var reason: String?

    public init(site: String, circuit: String, csr: String? = nil, reason: String? = nil) {
        self.site = site
        self.circuit = circuit
        self.csr = csr
        self.reason = reason
    }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let site: String? = fields.required(.site)
        let circuit: String? = fields.required(.circuit)
        csr = fields.optional(.csr)
        reason = fields.optional(.reason)
        (self.site, self.circuit) = try fields.complete(site, circuit)
    }
}

/// `POST /api/v1/claims/redeem`: `{"code","serial","circuit","csr"?}`; the code is the credential.
public struct RedeemRequest: Codable, Sendable, Equatable {
    /// The code, or the whole QR payload `BF1:<code>:<site>`.
    public var code: String
    public var serial: String
    public var circuit: String
    public var csr: String?

    public init(code: String, serial: String, circuit: String, csr: String? = nil) {
        self.code = code
        self.serial = serial
        self.circuit = circuit
        self.csr = csr
    }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let code: String? = fields.required(.code)
        let serial: String? = fields.required(.serial)
        let circuit: String? = fields.required(.circuit)
        csr = fields.optional(.csr)
        (self.code, self.serial, self.circuit) = try fields.complete(code, serial, circuit)
    }
}

/// `POST /api/v1/claims`: `{"site","ttl_s"?}`.
public struct ClaimRequest: Codable, Sendable, Equatable {
    public var site: String
    /// Seconds the code stays valid; `ClaimCode.defaultTTL` when absent.
    public var ttlSeconds: Int?

    public init(site: String, ttlSeconds: Int? = nil) {
        self.site = site
        self.ttlSeconds = ttlSeconds
    }

    enum CodingKeys: String, CodingKey { case site, ttlSeconds = "ttl_s" }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let site: String? = fields.required(.site)
        ttlSeconds = fields.optional(.ttlSeconds)
        self.site = try fields.complete(site)
    }
}

/// The answer to `POST /api/v1/claims`: the secret code (shown this once) and its QR payload.
public struct CreatedClaim: Codable, Sendable, Equatable {
    public var id: String
    public var code: String
    public var qr: String
    public var site: String
    public var expiresAt: Date

    public init(id: String, code: String, qr: String, site: String, expiresAt: Date) {
        self.id = id
        self.code = code
        self.qr = qr
        self.site = site
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey { case id, code, qr, site, expiresAt = "expires_at" }
}

/// `POST /api/v1/devices/import[?dry_run=true]`: `{"rows":[{"line","serial","model","site","circuit"}]}`.
public struct ImportRequest: Codable, Sendable, Equatable {
    public var rows: [ImportRow]

    public init(rows: [ImportRow]) { self.rows = rows }

    public init(from decoder: any Decoder) throws {
        var fields = try FieldReader(decoder, keyedBy: CodingKeys.self)
        let rows: [ImportRow]? = fields.required(.rows)
        self.rows = try fields.complete(rows)
    }
}

/// What became (or in a dry run would become) of each imported row.
public struct ImportAnswer: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public var line: Int
        public var serial: String
        public var outcome: ImportResult.Outcome
        public var errors: [FieldIssue]

        public init(_ result: ImportResult) {
            line = result.line
            serial = result.serial
            outcome = result.outcome
            errors = result.issues
        }
    }

    public var dryRun: Bool
    public var new: Int
    public var unchanged: Int
    public var invalid: Int
    public var rows: [Row]

    public init(dryRun: Bool, results: [ImportResult]) {
        let summary = Dictionary(grouping: results, by: \.outcome).mapValues(\.count)
        self.dryRun = dryRun
        new = summary[.new] ?? 0
        unchanged = summary[.unchanged] ?? 0
        invalid = summary[.invalid] ?? 0
        rows = results.map(Row.init)
    }

    enum CodingKeys: String, CodingKey { case dryRun = "dry_run", new, unchanged, invalid, rows }
}
