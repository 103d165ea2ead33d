import CoAPTransport
import DeviceWire
import FleetDomain
import FleetJournal
import Foundation

extension DeviceGateway {
    func time(_ request: CoAPRequest) -> CoAPResponse {
        guard request.method == .get else { return .error(.methodNotAllowed, "GET only") }
        return CoAPResponse(.content, contentFormat: .json, payload: DeviceResponses.time(now: clock()))
    }

    func register(_ request: CoAPRequest) -> CoAPResponse {
        handle(request, method: .post, format: .json, requireKnown: false) { identity, now in
            let body = Array(request.payload)
            let registration = try DeviceRequestParser.registration(body)
            let decision = try Registration.decide(
                registration, serial: identity.serial, known: state.directory[identity.serial], origin: identity.origin,
                isCertifiedModel: { state.certifiedModels.contains($0) && !state.bannedModels.contains($0) }
            ).get()
            let record = RegistrationRecord(serial: identity.serial, request: registration, state: decision.state, receivedAt: now)
            try journal(.registration, identity.serial, now, state: decision.state.journalCode, request.payload, .registration(record))
            let known = state.directory[identity.serial]
            var entry = known ?? DirectoryEntry(model: registration.model, state: decision.state)
            entry.state = decision.state
            state.directory[identity.serial] = entry
            if known == nil {
                // The fleet had never heard of it: the certificate it registers with is the one bound to it.
                if let peer = request.peer { bindFirstContact(peer, serial: identity.serial, at: now) }
                newDeviceRegistered?(identity.serial)
            }
            let desired = desiredProfile(of: identity.serial)
            let answer = DeviceResponses.registration(
                state: entry.state, heartbeatSeconds: desired?.heartbeatSeconds ?? entry.heartbeatSeconds,
                profileVersion: desired?.version, firmwareVersion: entry.targetFirmwareVersion,
                pendingCommands: state.commands.pendingCount(of: identity.serial, at: now))
            return CoAPResponse(decision.isFirst ? .created : .changed, contentFormat: .json, payload: answer)
        }
    }

    func telemetry(_ request: CoAPRequest) -> CoAPResponse {
        handle(request, method: .post, format: .senmlJSON, requireKnown: true) { identity, now in
            let pack = try SenML.parse(request.payload, serial: identity.serial, now: now.timeIntervalSince1970)
            let record = TelemetryRecord(serial: identity.serial, receivedAt: now, body: Array(request.payload), pack: pack)
            try journal(.telemetry, identity.serial, now, state: 0, request.payload, .telemetry(record))
            return CoAPResponse(.changed, contentFormat: .json, payload: DeviceResponses.telemetry(alarms: []))
        }
    }

    func events(_ request: CoAPRequest) -> CoAPResponse {
        handle(request, method: .post, format: .json, requireKnown: true) { identity, now in
            let report = try DeviceRequestParser.event(Array(request.payload))
            // A repeat is answered 2.04 and journaled no second time: nothing is counted twice.
            if state.deduplicator.contains(report.id, from: identity.serial) { return CoAPResponse(.changed) }
            let record = EventRecord(serial: identity.serial, report: report, receivedAt: now)
            try journal(.event, identity.serial, now, state: 0, request.payload, .event(record))
            _ = state.deduplicator.admit(report.id, from: identity.serial)
            return CoAPResponse(.created)
        }
    }

    /// The checks every device-data request goes through, in the order a device would want them reported.
    func handle(
        _ request: CoAPRequest, method: CoAPMethod, format: ContentFormat, requireKnown: Bool, emptyBodyAllowed: Bool = false,
        _ body: (DeviceIdentity, Date) throws -> CoAPResponse
    ) -> CoAPResponse {
        guard let peer = request.peer else {
            return .error(.forbidden, "plain CoAP carries no device identity: use coaps://")
        }
        guard let identity = identity(of: request, peer: peer) else {
            return .error(.forbidden, "certificate not accepted")
        }
        guard request.method == method else { return .error(.methodNotAllowed, "\(method) only") }
        // One directory look-up per request: this runs for every pack on the loop thread.
        let entry = state.directory[identity.serial]
        if let entry, entry.state.isBarred {
            return .error(.forbidden, "device \(identity.serial) is \(entry.state.rawValue)")
        }
        // Bans close live sessions at once; this catches a request racing the close. No cost without bans.
        if !state.bannedAuthorities.isEmpty, Self.authorities(of: peer).contains(where: { state.bannedAuthorities.contains($0) }) {
            return .error(.forbidden, "certificates from \(peer.anchorCommonName) are banned")
        }
        if let entry, state.bannedModels.contains(entry.model) {
            return .error(.forbidden, "model \(entry.model) is banned")
        }
        if requireKnown && entry == nil {
            return .error(.forbidden, "device \(identity.serial) is not registered: POST /v1/register first")
        }
        let emptyWithoutFormat = emptyBodyAllowed && request.payload.isEmpty && request.contentFormat == nil
        guard request.contentFormat == format || emptyWithoutFormat else {
            let got = request.contentFormat.map { "\($0.rawValue)" } ?? "none"
            return .error(.unsupportedContentFormat, "Content-Format \(got) is not \(format.rawValue)")
        }
        guard request.payload.count <= configuration.maxBodyBytes else {
            return .error(.requestEntityTooLarge, "body of \(request.payload.count) bytes is above \(configuration.maxBodyBytes)")
        }
        if pipeline.isOverloaded {
            return .error(.serviceUnavailable, "server busy: retry later", maxAge: configuration.backOffSeconds)
        }
        do {
            return try body(identity, clock())
        } catch let error as DeviceAPIError {
            return response(for: error)
        } catch {
            logger.error("journal append failed: \(error)")
            return .error(.serviceUnavailable, "server cannot store data now: retry later", maxAge: configuration.backOffSeconds)
        }
    }

    func journal(
        _ kind: JournalKind, _ serial: Serial, _ now: Date, state: UInt8, _ body: UnsafeRawBufferPointer,
        _ record: IngestRecord
    ) throws {
        let position = try journal.append(kind, serial: serial, receivedAt: now, state: state, body: body)
        pipeline.submit(JournaledRecord(position: position, record: record))
    }

    private func response(for error: DeviceAPIError) -> CoAPResponse {
        switch error.kind {
        case .badRequest: .error(.badRequest, error.diagnostic)
        case .forbidden: .error(.forbidden, error.diagnostic)
        case .notFound: .error(.notFound, error.diagnostic)
        case .methodNotAllowed: .error(.methodNotAllowed, error.diagnostic)
        case .unsupportedContentFormat: .error(.unsupportedContentFormat, error.diagnostic)
        case .entityTooLarge: .error(.requestEntityTooLarge, error.diagnostic)
        case .serviceUnavailable(let maxAge): .error(.serviceUnavailable, error.diagnostic, maxAge: UInt32(maxAge))
        }
    }
}
