import CoAPTransport
import DeviceWire
import FleetDomain
import Foundation

// `/v1/profile` (GET, Observe) and `/v1/profile/applied` (PUT): the device side of threshold profiles.
extension DeviceGateway {
    static let profilePath = "v1/profile"

    /// `GET /v1/profile`: the desired profile's JSON, ETag = its version. Observable: the transport keeps
    /// the observation and re-runs this handler for each notification.
    func profile(_ request: CoAPRequest) -> CoAPResponse {
        guard let peer = request.peer else { return .error(.forbidden, "plain CoAP carries no device identity: use coaps://") }
        guard let identity = identity(of: peer) else { return .error(.forbidden, "certificate not accepted") }
        guard request.method == .get else { return .error(.methodNotAllowed, "GET only") }
        guard let entry = state.directory[identity.serial] else {
            return .error(.forbidden, "device \(identity.serial) is not registered: POST /v1/register first")
        }
        if entry.state.isBarred { return .error(.forbidden, "device \(identity.serial) is \(entry.state.rawValue)") }
        guard let desired = desiredProfile(of: identity.serial), let body = state.profileBodies[desired.version] else {
            return .error(.notFound, "no threshold profile fits model \(entry.model): see `breakerfleet profile status`")
        }
        return CoAPResponse(.content, contentFormat: .json, payload: body, etag: CoAPResponse.etag(desired.version))
    }

    /// `PUT /v1/profile/applied` `{"id","version","result","reason"?}`: journaled, then 2.04.
    func profileApplied(_ request: CoAPRequest) -> CoAPResponse {
        handle(request, method: .put, format: .json, requireKnown: true) { identity, now in
            let report = try DeviceRequestParser.profileReport(Array(request.payload))
            let record = ProfileReportRecord(serial: identity.serial, report: report, receivedAt: now)
            try journal(.profileReport, identity.serial, now, state: 0, request.payload, .profileReport(record))
            return CoAPResponse(.changed)
        }
    }

    /// The profile a device should run: its own resolution, or `default` until precedence ran for it.
    func desiredProfile(of serial: Serial) -> DesiredProfile? {
        if let resolved = state.desiredProfiles[serial] { return resolved }
        return state.fallbackProfile
    }

    /// Takes a new outcome of precedence (any thread). Devices whose desired version changed and that
    /// observe `/v1/profile` are notified, paced by the transport; the others get the version in their
    /// next registration answer.
    public func profilesChanged(_ publication: ProfilePublication) async {
        guard let server else { return warmUpProfiles(publication) }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            server.perform { [self] in
                apply(publication)
                done.resume()
            }
        }
    }

    /// Loop thread: takes the publication and notifies the observers whose desired version changed.
    private func apply(_ publication: ProfilePublication) {
        server?.notifyObservers(of: Self.profilePath, peers: take(publication))
    }

    /// Takes the publication; returns the devices whose desired version changed.
    private func take(_ publication: ProfilePublication) -> [String] {
        state.profileBodies = publication.bodies
        state.fallbackProfile = publication.fallback
        var changed: [String] = []
        for (serial, desired) in publication.desired {
            let before = desiredProfile(of: serial)?.version
            state.desiredProfiles[serial] = .some(desired)
            if desired?.version != before { changed.append(serial.rawValue) }
        }
        return changed
    }

    /// Sets the profile state before the server starts (no loop thread yet, nobody to notify).
    public func warmUpProfiles(_ publication: ProfilePublication) {
        _ = take(publication)
    }
}
