import CoAPTransport
import FleetDomain

/// A session's device identity, validated once per session rather than once per request: turning the
/// certificate CN into a `Serial` and matching its anchor is work every telemetry pack would otherwise repeat.
/// The transport drops the cached value whenever it rebinds or drops the session's peer identity.
extension DeviceGateway {
    func identity(of request: CoAPRequest, peer: PeerIdentity) -> DeviceIdentity? {
        if let cached = request.derivedIdentity as? SessionDeviceIdentity { return cached.identity }
        guard let identity = identity(of: peer) else { return nil }
        request.derivedIdentity = SessionDeviceIdentity(identity)
        return identity
    }
}

/// The box a `DeviceIdentity` is kept in on its session.
final class SessionDeviceIdentity {
    let identity: DeviceIdentity

    init(_ identity: DeviceIdentity) {
        self.identity = identity
    }
}
