import CoAPTransport
import FleetDomain

/// What the admin side can change about who may connect: certified models, bans, revocations.
/// Each change lands on the loop thread (through `CoAPServer.perform`), where handshakes and handlers read it.
extension DeviceGateway {
    /// The certified, unexpired model codes: factory-certificate devices of these models may register.
    public func certifiedModelsChanged(_ models: Set<String>) {
        server?.perform { [self] in self.state.certifiedModels = models }
    }

    /// Banned manufacturer CAs (by subject CN) and banned models: their devices are refused at the handshake,
    /// and their live sessions are closed now.
    public func bansChanged(caNames: Set<String>, models: Set<String>) {
        server?.perform { [self] in
            self.state.bannedAnchors = caNames
            self.state.bannedModels = models
        }
        server?.closeSessions { [self] peer in
            // Runs on the loop thread, after the assignment above (the queue is FIFO).
            caNames.contains(peer.anchorCommonName) || self.isBannedModel(serial: peer.commonName)
        }
    }

    /// Whether a verified certificate may connect (loop thread, from the handshake): a serial CN, a known
    /// anchor that is not banned, and not a revoked, decommissioned or banned-model device.
    func admits(_ peer: PeerIdentity) -> Bool {
        guard let identity = identity(of: peer), !state.bannedAnchors.contains(peer.anchorCommonName) else { return false }
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
