import AdminAPI
import CoAPTransport
import DeviceGateway
import FleetDomain
import FleetJournal
import FleetPKI
import FleetServices
import FleetStoreSQLite
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// The composition root: builds the store, the PKI, the journal, the device plane and the admin API,
/// and runs them as one `ServiceGroup` until SIGTERM or SIGINT.
public enum FleetServer {
    /// - Parameter environment: the clocks and the random source handed to every part that takes one
    ///   (`.system` in production).
    public static func run(
        _ configuration: ServerConfiguration, logger: Logger, environment: ServiceEnvironment = .system
    ) async throws {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        try FileManager.default.createDirectory(
            at: configuration.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // The one reading of the time every part shares (the gateway and the admin API take it as a function).
        let readTime: @Sendable () -> Date = { [clock = environment.wallClock] in clock.now() }
        let pki = try loadOrCreatePKI(configuration, clock: environment.wallClock, logger: logger)
        let store = try SQLiteFleetStore(path: configuration.databaseURL.path)
        let replayer = JournalReplayer(directory: configuration.journalURL, logger: logger)
        // Every change of a command's state goes through this one recorder (metrics, then the audit trail): the
        // admin side's, the device plane's, and device results from the journal's replay and the ingest pipeline.
        let commandTransitions = CommandTransitions(
            store: store, observer: AuditTrail(store: store, clock: environment.wallClock, logger: logger).commandObserver)
        let ingestStore = JournaledCommandResults(store: store, commands: store, transitions: commandTransitions, logger: logger)
        let replayed = try await replayer.replay(after: try await store.appliedPosition()) { records, position in
            try await ingestStore.apply(records, through: position)
        }
        if replayed > 0 { logger.notice("replayed acknowledged messages from the journal", metadata: ["records": "\(replayed)"]) }
        try await LocalAdminToken.ensure(
            at: configuration.adminTokenURL, store: store, logger: logger, now: environment.wallClock.now())

        let journal = try JournalWriter(directory: configuration.journalURL, syncEveryAppend: configuration.syncJournal)
        let pipeline = IngestPipeline(store: ingestStore, replayer: replayer, logger: logger)
        let anchors = TrustAnchors(pki)
        let gateway = DeviceGateway(
            configuration: GatewayConfiguration(
                fleetAnchors: anchors.fleet, manufacturerAnchors: anchors.manufacturers,
                certifiedModels: try await RegistrySync.snapshot(store, at: environment.wallClock.now()).certified,
                certificateOverlap: configuration.certificateOverlap),
            journal: journal, pipeline: pipeline, logger: logger, clock: readTime)
        gateway.warmUp(devices: try await store.allDevices(), recentEventIDs: try await store.recentEventIDs(perDevice: 256),
                       presharedKeys: configuration.enablePresharedKeys ? try await store.presharedKeys() : [:],
                       bindings: try await store.allCertificateBindings())
        // What the device plane decides about certificates is stored off its loop thread.
        let trust = TrustRecorder(store: store, logger: logger)
        gateway.certificateBound = { trust.bind($0, to: $1) }
        gateway.securityEventRaised = { trust.record($0) }
        gateway.renewal = try EnrollmentAuthority(pki: pki).renewal
        let profiles = try await startProfiles(
            configuration, store: store, gateway: gateway, clock: environment.wallClock, logger: logger)
        let recomputation = ProfileRecomputation(profiles: profiles, timer: environment.timer, logger: logger)
        gateway.newDeviceRegistered = { _ in recomputation.schedule() }
        let commandDelivery = try await startCommandDelivery(
            store: store, transitions: commandTransitions, gateway: gateway, environment: environment, logger: logger)

        // PSK is off unless configured (spec): no callback, no PSK cipher suites.
        var presharedKey: (@Sendable (String) -> [UInt8]?)?
        if configuration.enablePresharedKeys {
            presharedKey = { @Sendable identity in gateway.presharedKey(for: identity) }
        }
        let coap = try CoAPServer(
            configuration: CoAPServerConfiguration(
                secure: configuration.coaps, plain: configuration.plainCoAP,
                credentials: .init(certificateDER: pki.server.certificateDER, privateKeyDER: pki.server.privateKeyDER,
                                   trustAnchorsDER: pki.trustedCAsDER),
                notificationsPerSecond: configuration.notificationsPerSecond),
            logger: logger, acceptPeer: { gateway.acceptPeer($0) },
            presharedKey: presharedKey)
        gateway.install(on: coap)
        try coap.start()
        // Bans (and any certification that lapsed since the snapshot above) reach the gateway now.
        let registrySync = RegistrySync(
            store: store,
            listener: .init(certifiedModelsChanged: { gateway.certifiedModelsChanged($0) },
                            bansChanged: { gateway.bansChanged(caFingerprints: Set($0.compactMap(Fingerprint.init(bytes:))), models: $1) }),
            profiles: recomputation, clock: environment.wallClock, logger: logger)
        // A device provisioned, installed (maybe at another site) or barred: the device plane's directory,
        // and maybe another desired profile.
        let deviceChanged: @Sendable (Device) -> Void = { gateway.deviceChanged($0); recomputation.schedule() }
        await registrySync.push()

        // A certificate the fleet CA issues is bound in the store, then in the device plane.
        let bindCertificate: CertificateBinder = { certificate, serial in
            try await store.bind(certificate, to: serial)
            gateway.certificateIssued(certificate, to: serial)
        }
        let issuer = FleetCertificateIssuer(pki: pki, clock: environment.wallClock)
        let provisioning = Provisioning(
            store: store, issuer: issuer,
            random: environment.random, deviceChanged: deviceChanged,
            presharedKeyChanged: { gateway.presharedKeyChanged($1, for: $0) }, bindCertificate: bindCertificate)
        let api = AdminAPI(
            configuration: AdminAPIConfiguration(host: configuration.httpHost, port: configuration.httpPort,
                                                 webhooks: configuration.webhooks),
            store: store, provisioning: provisioning,
            services: registryServices(store: store, issuer: issuer, sync: registrySync, profiles: profiles,
                                       environment: environment, deviceChanged: deviceChanged, bindCertificate: bindCertificate,
                                       commandTransitions: commandTransitions,
                                       commandsChanged: { commandDelivery.changed($0) }),
            prometheus: registry, logger: logger,
            // The composition root is where the admin side gets its time and entropy from.
            clock: readTime, random: environment.random)
        logger.notice("BreakerFleet is running", metadata: [
            "coaps": "\(configuration.coaps.host):\(configuration.coaps.port)",
            "http": "\(configuration.httpHost):\(configuration.httpPort)",
            "data": "\(configuration.dataDirectory.path)",
        ])
        // Shutdown runs in reverse: HTTP first, then CoAP (no more acknowledgements), then the ingest
        // pipeline drains what the journal already holds into the store.
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: IngestService(pipeline: pipeline)),
                .init(service: trust),
                .init(service: CoAPService(server: coap)),
                .init(service: api.makeApplication()),
                .init(service: RegistryRefreshService(sync: registrySync, timer: environment.timer)),
                // Site notices (webhooks) from the store's outbox, beside ingest, never in its way.
                .init(service: WebhookDispatcher(store: store, policy: configuration.webhooks, clock: environment.wallClock,
                                                 timer: environment.timer, logger: logger)),
                .init(service: commandDelivery),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        // Every service has stopped, the CoAP loop thread included: nothing appends any more.
        journal.close()
    }

    static func loadOrCreatePKI(_ configuration: ServerConfiguration, clock: any WallClock, logger: Logger) throws -> LoadedPKI {
        let directory = PKIDirectory(url: configuration.pkiDirectory)
        let pki: LoadedPKI
        if directory.hasAuthority {
            pki = try directory.load(now: clock.now())
        } else {
            logger.warning("no fleet CA found: created a DEVELOPMENT CA (run `breakerfleet ca init` for a real one)",
                           metadata: ["directory": "\(configuration.pkiDirectory.path)"])
            pki = try directory.initialize(now: clock.now())
        }
        for warning in pki.warnings { logger.warning("\(warning)") }
        logger.info("trusting the fleet's CAs and \(pki.manufacturerCAs.count) manufacturer CA(s)", metadata: [
            "root": "\(DERFingerprint.sha256Hex(pki.fleetRootDER))",
            "issuers": "\(pki.fleetIssuersDER.map(DERFingerprint.sha256Hex).joined(separator: ","))",
            "manufacturers": "\(pki.manufacturerCAs.map { "\($0.fileName)=\(DERFingerprint.sha256Hex($0.der))" }.joined(separator: ","))",
        ])
        return pki
    }
}

/// Runs the CoAP loop thread for as long as the group runs.
struct CoAPService: Service {
    let server: CoAPServer

    func run() async throws {
        try? await gracefulShutdown()
        server.stop()
    }
}

/// Moves journaled records into the store until shutdown, then drains the rest.
struct IngestService: Service {
    let pipeline: IngestPipeline

    func run() async throws {
        await withGracefulShutdownHandler {
            await pipeline.run()
        } onGracefulShutdown: {
            pipeline.stop()
        }
    }
}
