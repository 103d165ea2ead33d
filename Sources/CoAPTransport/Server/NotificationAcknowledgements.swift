/// Which confirmable notifications a peer acknowledged, learnt through a probe. Loop thread only; pure.
///
/// libcoap 4.3.1 tells the application nothing when an empty ACK ends the exchange of a CON it sent
/// (`coap_dispatch`: "an empty ACK needs no further handling"); it only reports failures, to the NACK
/// handler. So after a notification that wants to know, the loop sends a CoAP ping (an empty CON, the
/// *probe*). With NSTART = 1, libcoap keeps a CON in the session's delay queue until every earlier CON of
/// the session has finished its exchange, and sends the queue in order: the probe leaves only once the
/// notifications before it were acknowledged, reset or given up on. The peer answers the probe with RST,
/// which libcoap hands to the NACK handler as `COAP_NACK_RST` with the probe (code 0.00) as the sent PDU
/// (`last_ping_mid` is set for keep-alive pings only). So when the probe comes back, every notification it
/// covers that was not NACKed before was acknowledged. A probe given up on (`COAP_NACK_TOO_MANY_RETRIES`)
/// proves the same, since it was transmitted; a probe NACKed for any other reason never left (the session
/// ended), and what it covers counts as not delivered — the conservative answer, which only means the
/// device is given the same thing again.
///
/// One probe per session is in flight at a time; notifications sent meanwhile wait for the next one
/// (a libcoap peer answers at most one ping per 250 ms with RST).
struct NotificationAcknowledgements {
    typealias Callback = @Sendable (CoAPSessionHandle, Bool) -> Void

    /// A callback to call, with whether its notification was acknowledged.
    struct Decision {
        let callback: Callback
        let delivered: Bool

        func call(_ session: CoAPSessionHandle) { callback(session, delivered) }
    }

    private struct Session {
        /// Notifications sent and not decided yet, by message id.
        var awaiting: [Int32: Callback] = [:]
        /// Of those, the ones the probe in flight does not cover (sent after it, or with none in flight).
        var uncovered: [Int32] = []
        /// The probe in flight and the notifications it decides.
        var probe: (mid: Int32, covers: [Int32])?

        var isIdle: Bool { awaiting.isEmpty && probe == nil }
    }

    private var sessions: [CoAPSessionHandle: Session] = [:]
    /// Message ids of the probes in flight, over all sessions (counted: two sessions may use the same id).
    private var probeIDs: [Int32: Int] = [:]

    /// Sessions with something undecided (for tests).
    var trackedSessions: Int { sessions.count }

    /// A notification that wants to know left as message `mid`; returns whether to send a probe now.
    mutating func sent(_ mid: Int32, on session: CoAPSessionHandle, callback: @escaping Callback) -> Bool {
        var state = sessions[session] ?? Session()
        state.awaiting[mid] = callback
        state.uncovered.append(mid)
        sessions[session] = state
        return state.probe == nil
    }

    /// The probe left as message `mid`: it decides every notification not covered yet.
    mutating func probeSent(_ mid: Int32, on session: CoAPSessionHandle) {
        guard var state = sessions[session], state.probe == nil else { return }
        state.probe = (mid, state.uncovered)
        state.uncovered = []
        sessions[session] = state
        probeIDs[mid, default: 0] += 1
    }

    /// The probe could not be sent: what it would have covered is not known to be delivered.
    mutating func probeNotSent(on session: CoAPSessionHandle) -> [Decision] {
        guard var state = sessions[session] else { return [] }
        let decisions = state.uncovered.compactMap { state.awaiting.removeValue(forKey: $0) }.map { Decision(callback: $0, delivered: false) }
        state.uncovered = []
        store(state, for: session)
        return decisions
    }

    /// Whether `mid` is a probe in flight on some session (libcoap logs its RST before the NACK handler runs).
    func isProbeInFlight(_ mid: Int32) -> Bool {
        probeIDs[mid] != nil
    }

    /// Whether `mid` is this session's probe in flight.
    func isProbe(_ mid: Int32, on session: CoAPSessionHandle) -> Bool {
        sessions[session]?.probe?.mid == mid
    }

    /// The probe `mid` ended: `transmitted` when the peer answered it (RST) or libcoap gave up retransmitting
    /// it, false when it never left. Returns the decisions, and whether a new probe must follow for the
    /// notifications sent meanwhile.
    mutating func probeEnded(_ mid: Int32, on session: CoAPSessionHandle, transmitted: Bool) -> (decisions: [Decision], probeAgain: Bool) {
        guard var state = sessions[session], let probe = state.probe, probe.mid == mid else { return ([], false) }
        state.probe = nil
        if let count = probeIDs[mid] { probeIDs[mid] = count > 1 ? count - 1 : nil }
        // A covered notification still awaiting was not NACKed before the probe left: acknowledged.
        let decisions = probe.covers.compactMap { state.awaiting.removeValue(forKey: $0) }
            .map { Decision(callback: $0, delivered: transmitted) }
        let probeAgain = !state.uncovered.isEmpty
        store(state, for: session)
        return (decisions, probeAgain)
    }

    /// The notification `mid` was reset by the peer or never acknowledged, or its session ended first.
    mutating func notificationFailed(_ mid: Int32, on session: CoAPSessionHandle) -> Decision? {
        guard var state = sessions[session], let callback = state.awaiting.removeValue(forKey: mid) else { return nil }
        state.uncovered.removeAll { $0 == mid }
        store(state, for: session)
        return Decision(callback: callback, delivered: false)
    }

    /// The session is gone: nothing undecided on it was acknowledged as far as anyone can tell.
    mutating func sessionEnded(_ session: CoAPSessionHandle) -> [Decision] {
        guard let state = sessions.removeValue(forKey: session) else { return [] }
        if let mid = state.probe?.mid, let count = probeIDs[mid] { probeIDs[mid] = count > 1 ? count - 1 : nil }
        return state.awaiting.values.map { Decision(callback: $0, delivered: false) }
    }

    private mutating func store(_ state: Session, for session: CoAPSessionHandle) {
        sessions[session] = state.isIdle ? nil : state
    }
}
