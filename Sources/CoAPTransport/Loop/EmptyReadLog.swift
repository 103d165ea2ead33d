import Glibc

/// Swallows the two warnings libcoap 4.3.1 logs when it reads an endpoint socket that has nothing left
/// (`coap_network_read: Resource temporarily unavailable`, then `<address> DTLS: read failed`), but only
/// while `ContextEvents` is reading sockets more often than they had datagrams on purpose, and only on that
/// thread. Any other read failure, and these same lines at any other time, are still logged.
enum EmptyReadLog {
    private enum State: Int {
        case off = 0
        /// Inside a deliberate over-read.
        case expecting
        /// The EAGAIN line was swallowed; the "read failed" line that libcoap logs next goes too.
        case swallowedEmptyRead
    }

    /// Per thread: each loop thread over-reads its own sockets, and libcoap logs on the thread that reads.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private static var state: State {
        get { State(rawValue: Int(bitPattern: pthread_getspecific(key))) ?? .off }
        set { pthread_setspecific(key, UnsafeRawPointer(bitPattern: newValue.rawValue)) }
    }

    static func expectingEmptyReads(_ body: () -> Void) {
        state = .expecting
        body()
        state = .off
    }

    /// Whether libcoap's log line `message` is the expected noise of an empty read (then it is dropped).
    static func swallows(_ message: UnsafePointer<CChar>) -> Bool {
        switch state {
        case .off:
            return false
        case .expecting:
            guard strstr(message, "coap_network_read: Resource temporarily unavailable") != nil else { return false }
            state = .swallowedEmptyRead
            return true
        case .swallowedEmptyRead:
            state = .expecting
            return strstr(message, "read failed") != nil
        }
    }
}
