import CoAPTransport
import FleetDomain

/// What the admin side can change about who may connect: certified models, bans, revocations.
/// Each change lands on the loop thread (through `CoAPServer.perform`), where handshakes and handlers read it.
extension DeviceGateway {
    /// The certified, unexpired model codes: factory-certificate devices of these models may register.
    public func certifiedModelsChanged(_ models: Set<String>) {
        server?.perform { [self] in self.state.certifiedModels = models }
    }

    /// Banned CAs (by the SHA-256 fingerprint of their certificate, never by name) and banned models: their
    /// devices are refused at the handshake, and their live sessions are closed now.
    public func bansChanged(caFingerprints: Set<[UInt8]>, models: Set<String>) {
        server?.perform { [self] in
            self.state.bannedCAs = caFingerprints
            self.state.bannedModels = models
        }
        server?.closeSessions { [self] peer in
            // Runs on the loop thread, after the assignment above (the queue is FIFO).
            Self.isSigned(peer, byOneOf: caFingerprints) || self.isBannedModel(serial: peer.commonName)
        }
    }

    /// Whether the anchor or the issuer of a peer's chain is one of `cas` (fingerprints).
    static func isSigned(_ peer: PeerIdentity, byOneOf cas: Set<[UInt8]>) -> Bool {
        cas.contains(peer.anchorFingerprint) || cas.contains(peer.issuerFingerprint)
    }

    /// Whether a verified certificate may connect (loop thread, from the handshake): a serial CN, a known
    /// anchor, no banned CA in its chain, and not a revoked, decommissioned or banned-model device.
    func admits(_ peer: PeerIdentity) -> Bool {
        guard let identity = identity(of: peer), !Self.isSigned(peer, byOneOf: state.bannedCAs) else { return false }
        if let entry = state.directory[identity.serial], entry.state.isBarred || state.bannedModels.contains(entry.model) {
            return false
        }
        return true
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
