import CoAPTransport
import FleetDomain
import Foundation
import Metrics

/// Who may connect: certified models, bans, revocations and the certificates bound to each device. Each
/// change from the admin side lands on the loop thread (through `CoAPServer.perform`), where handshakes
/// and handlers read it.
extension DeviceGateway {
    /// The certified, unexpired model codes: factory-certificate devices of these models may register.
    public func certifiedModelsChanged(_ models: Set<String>) {
        server?.perform { [self] in self.state.certifiedModels = models }
    }

    /// Banned CAs (by fingerprint) and banned models: their devices are refused at the handshake, and their
    /// live sessions are closed now.
    public func bansChanged(caFingerprints: Set<Fingerprint>, models: Set<String>) {
        server?.perform { [self] in
            self.state.bannedAuthorities = caFingerprints
            self.state.bannedModels = models
        }
        server?.closeSessions { [self] peer in
            // Runs on the loop thread, after the assignment above (the queue is FIFO).
            Self.authorities(of: peer).contains { caFingerprints.contains($0) } || self.isBannedModel(serial: peer.commonName)
        }
    }

    /// A certificate the admin side bound (provisioning, re-key): the same rule as in the store
    /// (`CertificateBindings.bind`), applied on the loop thread, so nothing is read back.
    public func certificateIssued(_ certificate: BoundCertificate, to serial: Serial) {
        server?.perform { [self] in self.state.bindings[serial, default: CertificateBindings()].bind(certificate) }
    }

    /// Whether a verified certificate may connect (loop thread, from the handshake). A refusal is counted
    /// by reason and recorded as a security event.
    func admits(_ peer: PeerIdentity) -> Bool {
        let now = clock()
        switch admission(of: peer, at: now) {
        case .admitted:
            return true
        case .refused(let reason, let detail):
            refuse(peer, reason, detail, at: now)
            return false
        }
    }

    enum Admission: Equatable {
        case admitted
        case refused(SecurityRefusal, String)
    }

    /// The rules, in order: a serial from a known anchor; no banned CA in the chain; not a barred device or
    /// a banned model; and for a certificate, one bound to the device (binding the first one when nothing
    /// is bound yet).
    func admission(of peer: PeerIdentity, at now: Date) -> Admission {
        guard let identity = identity(of: peer) else {
            return .refused(.unknownIdentity, "CN \(peer.commonName) from anchor \(peer.anchorCommonName) is not a fleet identity")
        }
        if Self.authorities(of: peer).contains(where: { state.bannedAuthorities.contains($0) }) {
            return .refused(.bannedAuthority, "a CA of the chain (\(peer.anchorCommonName)) is banned")
        }
        let entry = state.directory[identity.serial]
        if let entry, entry.state.isBarred { return .refused(.barredDevice, "\(identity.serial) is \(entry.state)") }
        if let entry, state.bannedModels.contains(entry.model) { return .refused(.bannedModel, "model \(entry.model) is banned") }
        guard peer.credential == .certificate else { return .admitted }
        guard let certificate = Fingerprint(bytes: peer.certificateFingerprint), let issuer = Fingerprint(bytes: peer.issuerFingerprint) else {
            return .refused(.unknownIdentity, "no certificate fingerprint")
        }
        // A device the fleet has never heard of gets its first certificate bound when it registers.
        guard entry != nil else { return .admitted }
        let bindings = state.bindings[identity.serial] ?? CertificateBindings()
        switch bindings.decide(certificate: certificate, issuer: issuer, at: now, overlap: configuration.certificateOverlap) {
        case .admit:
            return .admitted
        case .admitAndBind:
            bindFirstContact(peer, serial: identity.serial, at: now)
            return .admitted
        case .refuse(let reason):
            return .refused(reason, "certificate \(certificate.short)… from \(peer.anchorCommonName) for \(identity.serial)")
        }
    }

    /// Binds the certificate a device connects with when nothing is bound to it yet: a factory device's
    /// first contact, or a device provisioned before certificates were bound.
    func bindFirstContact(_ peer: PeerIdentity, serial: Serial, at now: Date) {
        guard state.bindings[serial]?.isEmpty ?? true, peer.credential == .certificate,
              let certificate = Fingerprint(bytes: peer.certificateFingerprint),
              let issuer = Fingerprint(bytes: peer.issuerFingerprint) else { return }
        let bound = BoundCertificate(
            fingerprint: certificate, issuerFingerprint: issuer, publicKeyFingerprint: Fingerprint(bytes: peer.publicKeyFingerprint),
            notBefore: peer.notBefore, notAfter: peer.notAfter, boundAt: now, source: .firstContact)
        state.bindings[serial, default: CertificateBindings()].bind(bound)
        certificateBound?(bound, serial)
    }

    func refuse(_ peer: PeerIdentity, _ reason: SecurityRefusal, _ detail: String, at now: Date) {
        refusals[reason]?.increment()
        let event = SecurityEvent(
            at: now, serial: peer.commonName, reason: reason, detail: detail,
            certificateFingerprint: Fingerprint(bytes: peer.certificateFingerprint),
            issuerFingerprint: Fingerprint(bytes: peer.issuerFingerprint))
        guard state.securityThrottle.admit(event) else { return }
        logger.notice("refused peer", metadata: ["serial": "\(peer.commonName)", "reason": "\(reason.rawValue)", "detail": "\(detail)"])
        securityEventRaised?(event)
    }

    /// The CAs of a peer's chain that a ban can name: its issuer and its trust anchor.
    static func authorities(of peer: PeerIdentity) -> [Fingerprint] {
        [peer.issuerFingerprint, peer.anchorFingerprint].compactMap { Fingerprint(bytes: $0) }
    }

    func isBannedModel(serial: String) -> Bool {
        guard let serial = Serial(serial), let model = state.directory[serial]?.model else { return false }
        return state.bannedModels.contains(model)
    }

    /// A new or replaced pre-shared key for a PSK-only device.
    public func presharedKeyChanged(_ key: [UInt8], for serial: Serial) {
        server?.perform { [self] in self.state.presharedKeys[serial] = key }
    }

    /// The key for a PSK identity, if that device may connect (loop thread, from the handshake).
    public func presharedKey(for identity: String) -> [UInt8]? {
        guard let serial = Serial(identity) else { return nil }
        return state.presharedKeys[serial]
    }

    /// Cuts a device off at once when the admin side bars it.
    func closeSessionsIfBarred(_ device: Device) {
        guard device.state.isBarred else { return }
        let serial = device.serial.rawValue
        server?.closeSessions { $0.commonName == serial }
    }
}
