internal import CLibCoap
import Logging

/// Process-wide libcoap set-up: `coap_startup` and the log handler, once.
enum CoAPLibrary {
    private static let started: Bool = {
        coap_startup()
        coap_set_log_handler(forwardLog)
        coap_set_log_level(coap_log_t(LOG_WARNING))
        coap_dtls_set_log_level(Int32(LOG_WARNING))
        return true
    }()

    static func startOnce(logger: Logger) {
        _ = started
    }
}

/// libcoap's log, through swift-log.
let libcoapLogger = Logger(label: "libcoap")

private let forwardLog: coap_log_handler_t = { level, message in
    guard let message, !EmptyReadLog.swallows(message), !ProbeResetLog.swallows(message) else { return }
    var text = String(cString: message)
    while text.last == "\n" { text.removeLast() }
    switch level {
    case ...Int32(LOG_ERR): libcoapLogger.error("\(text)")
    case Int32(LOG_WARNING): libcoapLogger.warning("\(text)")
    case Int32(LOG_NOTICE), Int32(LOG_INFO): libcoapLogger.info("\(text)")
    default: libcoapLogger.debug("\(text)")
    }
}
