import AdminAPIModel
import FleetDomain
import Foundation

/// One value of each request and answer type, with every optional part set (so each documented key is
/// written by at least one sample), named by the schema that documents it.
enum Samples {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static let device = Device(
        serial: Serial("BRK-0001")!, model: "BF-100", state: .active, firmware: "1.2.0", hardware: "B",
        capabilities: ["leakage"], profileID: "commerce", profileVersion: 3, provisionedAt: now, registeredAt: now,
        lastSeen: now)
    static let deviceRepresentation = DeviceRepresentation(device, at: now)
    static let measurements = [
        Measurement(name: "voltage", unit: "V", value: 230, sum: 1, time: 1_780_000_000),
        Measurement(name: "firmware", stringValue: "1.2.0", time: 1_780_000_000),
        Measurement(name: "closed", boolValue: true, time: 1_780_000_000),
    ].map(MeasurementRepresentation.init)
    static let event = EventRepresentation(StoredEvent(
        report: EventReport(id: "e1", type: .trip, at: 1_780_000_000, value: 31, phase: "L1", action: .tripped), receivedAt: now))
    static let site = Site(
        id: "yanhu-market", name: "Yanhu Market", category: .commerce, county: "140802", address: "1 Road",
        manager: SiteManager(name: "Li", phone: "+86 359 1234567", webhookURL: "https://hooks.example.com/a"))
    static let model = CertifiedModel(
        code: "BF-100", manufacturer: "Acme", certificationNumber: "2026-1", validFrom: now, validUntil: now.addingTimeInterval(86_400),
        ratedCurrentA: 32, poles: 2, capabilities: [.leakage, .temperature])
    static let token = StoredToken(
        id: "t1", name: "crew", role: .installer, hash: "h", createdAt: now, expiresAt: now, counties: ["140802"])

    static func fingerprint(_ byte: UInt8) -> Fingerprint { Fingerprint(bytes: [UInt8](repeating: byte, count: 32))! }
    static let boundCertificate = BoundCertificate(
        fingerprint: fingerprint(1), issuerFingerprint: fingerprint(2), publicKeyFingerprint: fingerprint(3),
        notBefore: now, notAfter: now.addingTimeInterval(86_400), boundAt: now, supersededAt: now, source: .renewed)

    static func profile() throws -> ThresholdProfile {
        var profile = try AdminJSON.decoder().decode(ThresholdProfile.self, from: profileFile())
        profile.version = 3
        profile.notes = "sample"
        return profile
    }

    static func profileFile() throws -> Data {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try Data(contentsOf: root.appendingPathComponent("Profiles/commerce.json"))
    }

    /// Answers built from domain values through the models' own mapping.
    static func answers() throws -> [(schema: String, value: any Encodable)] {
        let stored = StoredProfile(profile: try profile(), createdAt: now, source: "api admin")
        var revoked = token
        revoked.revokedAt = now
        return [
            ("DeviceList", DeviceList(devices: [deviceRepresentation], next: "BRK-0002")),
            ("DeviceList", DeviceList(devices: [], next: nil)),
            ("DeviceDetail", DeviceDetail(device: deviceRepresentation, latest: measurements, events: [event])),
            ("TelemetryList", TelemetryList(telemetry: [TelemetryRepresentation(StoredTelemetry(
                receivedAt: now, measurements: [Measurement(name: "voltage", unit: "V", value: 230, time: 1)]))])),
            ("EventList", EventList(events: [event])),
            ("Provisioned", Provisioned(device: deviceRepresentation, credentials: DeviceCredential(
                certificatePEM: "c", privateKeyPEM: "k", caCertificatePEM: "ca"))),
            ("Provisioned", Provisioned(device: DeviceRepresentation(Device(serial: Serial("BRK-0002")!, model: "BF-P", state: .provisioned), at: now),
                                       credentials: DeviceCredential(presharedKeyIdentity: "BRK-0002", presharedKey: "s", caCertificatePEM: "ca"))),
            ("RetiredDevice", RetiredDevice(device: deviceRepresentation)),
            ("InstallationHistory", InstallationHistory(
                assignment: AssignmentRepresentation(Assignment(serial: device.serial, siteID: "yanhu-market", circuit: "L1")),
                installations: [InstallationRepresentation(installation)],
                retirements: [RetirementRepresentation(Retirement(serial: device.serial, state: .revoked, reason: "lost", by: "admin", at: now))])),
            ("InstallationHistory", InstallationHistory(assignment: nil, installations: [], retirements: [])),
            ("CreatedClaim", CreatedClaim(id: "clm-1", code: "ABCD", qr: "BF1:ABCD:yanhu-market", site: "yanhu-market", expiresAt: now)),
            ("SiteRepresentation", SiteRepresentation(site, webhookSecret: String(repeating: "ab", count: 32))),
            ("SiteNotificationList", SiteNotificationList(site: site.id, notifications: [notification])),
            ("SiteNotification", notification),
            ("NotificationAttempt", NotificationAttempt(key: "trip:BRK-0001:e1", at: now, duration: 0.01, status: 500, error: "HTTP 500")),
            ("SiteList", SiteList(sites: [SiteRepresentation(site)])),
            ("ModelRepresentation", ModelRepresentation(model, now: now)),
            ("ModelList", ModelList(models: [ModelRepresentation(model, now: now, banned: true)])),
            ("CreatedToken", CreatedToken(token: TokenRepresentation(token), secret: "bft_x")),
            ("TokenList", TokenList(tokens: [TokenRepresentation(token)])),
            ("RevokedToken", RevokedToken(token: TokenRepresentation(revoked))),
            ("BanRepresentation", BanRepresentation(Ban(kind: .model, subject: "BF-100", reason: "recall", by: "admin", at: now))),
            ("BanList", BanList(bans: [BanRepresentation(Ban(
                kind: .ca, subject: String(repeating: "ab", count: 32), name: "Acme Factory CA", reason: "key leaked",
                by: "admin", at: now))])),
            ("QuarantineList", QuarantineList(records: [QuarantinedRecord(
                serial: "BRK-0001", kind: "telemetry", journalSegment: 1, journalOffset: 200, receivedAt: now, quarantinedAt: now,
                error: "SQLITE_CONSTRAINT: refused", body: "[]")])),
            ("DeviceCertificates", DeviceCertificates(serial: "BRK-0001", certificates: [boundCertificate])),
            ("ExpiringCertificates", ExpiringCertificates(before: now, devices: [.init(serial: "BRK-0001", certificate: boundCertificate)])),
            ("SecurityEventList", SecurityEventList(events: [SecurityEvent(
                at: now, serial: "BRK-0001", reason: .foreignIssuer, detail: "certificate from another CA",
                certificateFingerprint: fingerprint(1), issuerFingerprint: fingerprint(2))])),
            ("ProfileRepresentation", ProfileRepresentation(stored, changed: true)),
            ("ProfileList", ProfileList(profiles: [ProfileSummary(stored, assignedTo: ["category commerce"])])),
            ("ProfileVersionList", ProfileVersionList(versions: [ProfileSummary(stored, assignedTo: nil)])),
            ("AssignmentList", AssignmentList(assignments: [ProfileAssignmentRepresentation(ProfileAssignment(
                target: .category(.commerce), profileID: "commerce", assignedAt: now, assignedBy: "admin"))])),
            ("DiffRepresentation", DiffRepresentation(id: "commerce", from: 1, to: 2, changes: [.init(field: "leakage.warn_ma", old: "200", new: "100")])),
            ("DeviceProfileRepresentation", DeviceProfileRepresentation(DeviceProfileState(
                serial: device.serial,
                resolution: ProfileResolution(
                    desired: DesiredProfile(profileID: "commerce", version: 3, via: .category, heartbeatSeconds: 60),
                    refusals: [ProfileRefusal(profileID: "arc", version: 2, reasons: ["arc.action: trip needs arc_extinguish"])]),
                desiredSince: now, report: ProfileReport(id: "commerce", version: 3, result: .rejected, reason: "x"), reportedAt: now,
                running: .init(id: "commerce", version: 2)), staleAfter: 3, now: now)),
            ("ProblemDetails", ProblemDetails(type: "urn:breakerfleet:problem:validation", title: "Invalid request", status: 400, detail: "d",
                                              errors: [.init(field: "leakage.alarm_ma", message: "m", value: "2000", bound: "1000", basis: "GB")])),
            ("HealthStatus", HealthStatus(status: "ok")),
            ("RouteList", RouteList(routes: [.init(method: "GET", path: "/api/v1/devices", roles: [.admin])])),
            ("CommandRepresentation", CommandRepresentation(command)),
            ("CommandTransition", CommandTransitionRepresentation(command.lifecycle.transitions[0])),
            ("CommandList", CommandList(commands: [CommandRepresentation(command)])),
            ("SiteTripRepresentation", SiteTripRepresentation(site: "yanhu-market", dryRun: false, batch: "trip-0123456789ab", entries: [
                .init(serial: "BRK-0001", circuit: "L1", refusal: nil, command: command.id),
                .init(serial: "BRK-0002", circuit: "L2", refusal: "model BF-100 cannot perform this remotely", command: nil)])),
            ("SiteTripEntry", SiteTripRepresentation.Entry(serial: "BRK-0001", circuit: "L1", refusal: "r", command: command.id)),
            ("AuditRecordList", AuditRecordList(records: auditRecords)),
            ("AuditVerificationAnswer", AuditVerificationAnswer(.intact(count: 2, lastHash: auditRecords[1].hash))),
            ("AuditVerificationAnswer", AuditVerificationAnswer(.broken(firstBadSequence: 2, what: .altered))),
        ]
    }

    /// A reset after a short circuit that the device carried out, with every optional part set.
    static var command: Command {
        var lifecycle = CommandLifecycle(needsApproval: true, issuedAt: now, expiresAt: now.addingTimeInterval(600))
        _ = lifecycle.apply(.approved(by: "second"), at: now)
        _ = lifecycle.apply(.sent, at: now)
        _ = lifecycle.apply(.reported(CommandReport(.done, breaker: .closed, reason: "closed")), at: now)
        return Command(id: "cmd-0123456789abcdef", serial: Serial("BRK-0001")!, action: .reset, reason: "cleared", issuedBy: "ops",
                       issuedByRole: "admin", inspectedBy: "Wang", siteTrip: "trip-0123456789ab", lifecycle: lifecycle, sequence: 1)
    }

    static var notification: SiteNotificationList.Entry {
        SiteNotificationList.Entry(
            SiteNotification(key: "trip:BRK-0001:e1", siteID: "yanhu-market", kind: .trip, serial: Serial("BRK-0001")!,
                             subject: "short_circuit", phase: "l1", value: 950, occurredAt: now, createdAt: now, state: .delivered,
                             attempts: 2, nextAttemptAt: now, deliveredAt: now),
            attempts: [NotificationAttempt(key: "trip:BRK-0001:e1", at: now, duration: 0.02, status: 200, error: nil)])
    }
    /// A command result (breaker, reason) after an install (detail): every optional key set somewhere.
    static let auditRecords = AuditChain.seal([
        AuditEntry(at: now, actor: AuditActor(name: "crew", role: "installer"), action: "device.install", target: "device:BRK-0001",
                   device: "BRK-0001", detail: ["site": "yanhu-market"]),
        AuditEntry(at: now, actor: .device(device.serial), action: "command.done", target: "command:c1", device: "BRK-0001",
                   reason: "arc fault reported", breaker: "open"),
    ], after: .empty).records

    static let installation = Installation(
        id: "ins-1", serial: Serial("BRK-0001")!, siteID: "yanhu-market", circuit: "L1", method: .token, installedBy: "crew", at: now,
        rekeyed: true, movedFrom: "linyi-school", reason: "school closed")

    /// Answers whose domain values have no public initialiser: decoded from the JSON the server writes.
    static var decodedAnswers: [(schema: String, type: any Codable.Type, json: String)] {
        [
        ("Installed", Installed.self, """
            {"device":\(deviceJSON),"installation":{"id":"i","kind":"install","serial":"BRK-0001","site":"s",
             "from_site":null,"circuit":"L1","method":"token","installed_by":"crew","at":"2026-05-28T00:00:00Z",
             "rekeyed":false,"reason":null},"certificate":"c","ca_certificate":"ca"}
            """),
        ("ImportAnswer", ImportAnswer.self, """
            {"dry_run":true,"new":1,"unchanged":0,"invalid":1,"rows":[{"line":2,"serial":"BRK-1","outcome":"new","errors":[]},
             {"line":3,"serial":"BRK-2","outcome":"invalid","errors":[{"field":"rows[1].model","message":"m"}]}]}
            """),
        ("AssignmentOutcome", AssignmentOutcome.self, """
            {"target":{"kind":"site","key":"yanhu-market"},"profile":"commerce","devices_changed":2,
             "refused":[{"serial":"BRK-0001","reasons":["r"]}]}
            """),
        ("ProfileStatusReport", ProfileStatusReport.self, """
            {"grouping":"profile","stale_after_heartbeats":3,"rows":[{"group":"commerce@3","devices":2,
             "counts":{"applied":1,"pending":1,"stale":0,"rejected":0,"refused":0}}],
             "attention":[{"serial":"BRK-0001","progress":"stale","profile":"commerce@3","reason":"r","site":"s"}],
             "attention_truncated":false}
            """),
        ]
    }

    static var deviceJSON: String {
        String(decoding: (try? AdminJSON.encoder().encode(deviceRepresentation)) ?? Data(), as: UTF8.self)
    }

    /// Requests as the CLI sends them, with every optional field set.
    static var requests: [(schema: String, value: any Encodable)] {
        [
        ("ProvisionRequest", ProvisionRequest(serial: "BRK-0001", model: "BF-100")),
        ("RetireRequest", RetireRequest(reason: "lost")),
        ("InstallRequest", InstallRequest(site: "yanhu-market", circuit: "L1", csr: "pem", reason: "moved")),
        ("RedeemRequest", RedeemRequest(code: "ABCD", serial: "BRK-0001", circuit: "L1", csr: "pem")),
        ("ClaimRequest", ClaimRequest(site: "yanhu-market", ttlSeconds: 600)),
        ("ImportRequest", ImportRequest(rows: [ImportRow(line: 2, serial: "BRK-0001", model: "BF-100", site: "s", circuit: "L1")])),
        ("SiteRequest", SiteRequest(id: "s", name: "n", category: "commerce", county: "140802", address: "a",
                                    manager: .init(name: "Li", phone: "+86", webhookURL: "https://h"))),
        ("ModelRequest", ModelRequest(code: "BF-100", manufacturer: "Acme", certificationNumber: "1", validFrom: "2026-01-01",
                                      validUntil: "2027-01-01", ratedCurrentA: 32, poles: 2, capabilities: ["leakage"],
                                      presharedKeyBytes: 16)),
        ("TokenRequest", TokenRequest(name: "crew", role: "installer", counties: ["140802"], expiresInSeconds: 3600)),
        ("BanRequest", BanRequest(kind: "ca", subject: String(repeating: "ab", count: 32), name: "Acme Factory CA", reason: "key leaked")),
        ("AssignmentRequest", AssignmentRequest(profile: "commerce", device: "BRK-0001", site: "s", category: "commerce")),
        ("CommandRequest", CommandRequest(serial: "BRK-0001", action: "reset", reason: "cleared", ttlSeconds: 600, inspectedBy: "Wang")),
        ("SiteTripRequest", SiteTripRequest(reason: "fire", confirm: "yanhu-market", dryRun: false, ttlSeconds: 600)),
        ]
    }

    /// Each request type, for decoding `{}` and comparing the fields it calls required with the schema's.
    static var requestTypes: [(schema: String, type: any Decodable.Type)] {
        [
        ("ProvisionRequest", ProvisionRequest.self), ("RetireRequest", RetireRequest.self), ("InstallRequest", InstallRequest.self),
        ("RedeemRequest", RedeemRequest.self), ("ClaimRequest", ClaimRequest.self), ("ImportRequest", ImportRequest.self),
        ("SiteRequest", SiteRequest.self), ("SiteRequestManager", SiteRequest.Manager.self), ("ModelRequest", ModelRequest.self),
        ("TokenRequest", TokenRequest.self), ("BanRequest", BanRequest.self), ("AssignmentRequest", AssignmentRequest.self),
        ("CommandRequest", CommandRequest.self), ("SiteTripRequest", SiteTripRequest.self),
        ]
    }
}
