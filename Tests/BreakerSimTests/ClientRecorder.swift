import CoAPTransport
import Synchronization

/// Collects what the engine reports on its loop threads, for a test to read with `Deadline.wait`.
final class ClientRecorder: Sendable {
    private let state = Mutex(State())

    struct State {
        var events: [CoAPClientSessionEvent] = []
        var results: [CoAPClientResult] = []
        var notifications: [CoAPClientResponse] = []
        var largestWindow = 0
    }

    func record(_ event: CoAPClientSessionEvent) { state.withLock { $0.events.append(event) } }
    func record(_ result: CoAPClientResult) { state.withLock { $0.results.append(result) } }
    func notify(_ response: CoAPClientResponse) { state.withLock { $0.notifications.append(response) } }
    func window(_ inFlight: Int) { state.withLock { $0.largestWindow = max($0.largestWindow, inFlight) } }

    var snapshot: State { state.withLock { $0 } }

    var codes: [String] {
        snapshot.results.map { result in
            switch result {
            case .success(let response): response.code.description
            case .failure(let failure): "\(failure)"
            }
        }
    }

    func count(_ event: CoAPClientSessionEvent) -> Int { snapshot.events.filter { $0 == event }.count }
}
