import Glibc

/// Swallows libcoap's `got RST for mid=0x…` alert when the RST answers one of the server's own probes
/// (`NotificationAcknowledgements`): libcoap 4.3.1 logs every RST at LOG_ALERT unless it answers a
/// keep-alive ping, and our probes are the expected RST of every acknowledged command notification. An RST
/// of anything else (a notification the device no longer wants) is still logged.
///
/// libcoap logs on the thread that reads the datagram, before the NACK handler runs, so each server loop
/// thread registers its loop here and the filter asks that loop whether the id is a probe in flight.
enum ProbeResetLog {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()
    private static let prefix = "got RST for mid=0x"

    /// Called on the loop thread once its context exists; the loop outlives its thread's use of it.
    static func attach(_ loop: ServerLoop) {
        pthread_setspecific(key, Unmanaged.passUnretained(loop).toOpaque())
    }

    static func detach() {
        pthread_setspecific(key, nil)
    }

    /// Whether libcoap's log line `message` is the RST of one of this thread's loop's probes.
    static func swallows(_ message: UnsafePointer<CChar>) -> Bool {
        guard strncmp(message, prefix, prefix.utf8.count) == 0, let data = pthread_getspecific(key) else { return false }
        let loop = Unmanaged<ServerLoop>.fromOpaque(data).takeUnretainedValue()
        let digits = message + prefix.utf8.count
        let mid = strtol(digits, nil, 16)
        return loop.acknowledgements.isProbeInFlight(Int32(truncatingIfNeeded: mid))
    }
}
