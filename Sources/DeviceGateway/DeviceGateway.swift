import CoAPTransport
import FleetDomain
import FleetJournal
import Foundation
import Logging
import Metrics

/// The device API of spec/device-api.md on top of the CoAP transport.
///
/// Every handler runs on the CoAP loop thread and answers from memory: the device directory and the event
/// deduplicator live here, warmed from the store at start and kept current by the admin side through
/// `perform`. What a device says is validated, appended to the journal (the durability point, see
/// `JournalWriter`), handed to the `IngestPipeline`, and only then acknowledged.
///
/// `@unchecked Sendable`: the mutable state is one `GatewayState`, wrapped in `LoopConfined`, so that only
/// the loop thread touches it once the server runs (handlers, and closures handed to `CoAPServer.perform`);
/// debug builds check every access. `newDeviceRegistered` and `server` are set once, before the start.
public final class DeviceGateway: @unchecked Sendable {
    public let configuration: GatewayConfiguration
    let journal: JournalWriter
    let pipeline: IngestPipeline
    let logger: Logger
    let clock: @Sendable () -> Date
    /// Everything the handlers read and write, confined to the CoAP loop thread (checked in debug builds).
    let confined: LoopConfined<GatewayState>
    /// Called on the loop thread when a device registers for the first time (precedence should run for it).
    public var newDeviceRegistered: (@Sendable (Serial) -> Void)?
    /// Called on the loop thread with a certificate bound by the device plane (first contact, EST renewal):
    /// the composition root stores it, off the loop thread.
    public var certificateBound: (@Sendable (BoundCertificate, Serial) -> Void)?
    /// Called on the loop thread with each refusal worth recording (throttled): stored off the loop thread.
    public var securityEventRaised: (@Sendable (SecurityEvent) -> Void)?
    /// The fleet CA side of EST renewal; nil: `/.well-known/est/*` answer 5.03.
    public var renewal: CertificateRenewal?
    /// Called on the loop thread when commands were sent to a device or it received them (`sent`,
    /// `delivered`): the composition root records the transitions in the store, off the loop thread.
    public var commandEventRecorded: (@Sendable (_ ids: [String], _ event: CommandLifecycle.Event, _ serial: Serial) -> Void)?
    let metrics = RequestMetrics()
    /// `breakerfleet_security_refusals_total` by reason, made once (a handshake flood must not look each up).
    let refusals = Dictionary(uniqueKeysWithValues: SecurityRefusal.allCases.map {
        ($0, Counter(label: "breakerfleet_security_refusals_total", dimensions: [("reason", $0.rawValue)]))
    })
    weak var server: CoAPServer?

    public init(
        configuration: GatewayConfiguration, journal: JournalWriter, pipeline: IngestPipeline, logger: Logger,
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.configuration = configuration
        self.journal = journal
        self.pipeline = pipeline
        self.logger = logger
        self.clock = clock
        self.confined = LoopConfined(GatewayState(certifiedModels: configuration.certifiedModels))
    }

    /// Fills the directory and the deduplicator from the store; call before the server starts.
    /// The loop-confined state; every access is checked to be on the loop thread in debug builds.
    var state: GatewayState {
        _read { yield confined.value }
        _modify { yield &confined.value }
    }

    public func warmUp(
        devices: [Device], recentEventIDs: [Serial: [String]], presharedKeys: [Serial: [UInt8]] = [:],
        bindings: [Serial: CertificateBindings] = [:]
    ) {
        self.state.presharedKeys = presharedKeys
        self.state.bindings = bindings
        for device in devices { state.directory[device.serial] = DirectoryEntry(device) }
        for (serial, ids) in recentEventIDs {
            for id in ids.reversed() { _ = state.deduplicator.admit(id, from: serial) }
        }
    }

    /// Decides at the handshake whether a verified certificate may connect (see `admits`). Loop thread.
    public func acceptPeer(_ peer: PeerIdentity) -> Bool {
        admits(peer)
    }

    func identity(of peer: PeerIdentity) -> DeviceIdentity? {
        guard let serial = Serial(peer.commonName) else { return nil }
        if peer.credential == .presharedKey {
            return state.presharedKeys[serial] == nil ? nil : DeviceIdentity(serial: serial, origin: .presharedKey)
        }
        guard let anchor = Fingerprint(bytes: peer.anchorFingerprint) else { return nil }
        if configuration.fleetAnchors.contains(anchor) { return DeviceIdentity(serial: serial, origin: .fleet) }
        if let name = configuration.manufacturerAnchors[anchor] {
            return DeviceIdentity(serial: serial, origin: .manufacturer(name))
        }
        return nil
    }

    /// Adds the device resources to `server` (before it starts).
    public func install(on server: CoAPServer) {
        self.server = server
        confined.owner = server.loopOwner
        server.addResource("v1/time", attributes: [("ct", "50")], handler: counted("v1/time", time))
        server.addResource("v1/register", attributes: [("ct", "50")], handler: counted("v1/register", register))
        server.addResource("v1/telemetry", attributes: [("ct", "110")], handler: counted("v1/telemetry", telemetry))
        server.addResource("v1/events", attributes: [("ct", "50")], handler: counted("v1/events", events))
        server.addResource(Self.profilePath, attributes: [("ct", "50")], observable: true,
                           handler: counted(Self.profilePath, profile))
        server.addResource("v1/profile/applied", attributes: [("ct", "50")],
                           handler: counted("v1/profile/applied", profileApplied))
        server.addResource(Self.commandsPath, attributes: [("ct", "50")], observable: true,
                           handler: counted(Self.commandsPath, commandList))
        server.addResources(under: Self.commandResultPrefix, handler: counted("v1/commands/{id}", commandResult))
        server.addResource("v1/heartbeat", attributes: [("ct", "50")], handler: counted("v1/heartbeat", heartbeat))
        server.addResource(Self.estCertificatesPath, attributes: [("ct", "281 287")], blockwiseAnswers: true, readsAccept: true,
                           handler: counted(Self.estCertificatesPath, authorityCertificates))
        server.addResource(Self.estRenewalPath, attributes: [("ct", "287")],
                           handler: counted(Self.estRenewalPath, renewCertificate))
    }

    /// Tells the device plane that the admin side changed a device (provisioned, installed, revoked, …).
    public func deviceChanged(_ device: Device) {
        let entry = DirectoryEntry(device)
        server?.perform { [self] in self.state.directory[device.serial] = entry }
        closeSessionsIfBarred(device)
    }

    private func counted(_ resource: String, _ handler: @escaping CoAPHandler) -> CoAPHandler {
        let counters = metrics.counters(for: resource)
        return { request in
            let response = handler(request)
            if !request.isNotification { counters.count(response.code) }
            return response
        }
    }
}
