import ArgumentParser
import CoAPTransport
import Foundation

/// `coaps://HOST[:PORT]` where HOST is an IP literal (libcoap connects to addresses; the simulator does no
/// DNS so that a benchmark never measures a resolver).
struct ServerAddress: ExpressibleByArgument, CustomStringConvertible {
    let endpoint: CoAPClientEngine.Endpoint

    init?(argument: String) {
        guard let url = URLComponents(string: argument), url.scheme == "coaps", var host = url.host, !host.isEmpty else {
            return nil
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard host.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else { return nil }
        let port = url.port ?? 5684
        guard (1...65535).contains(port) else { return nil }
        endpoint = .init(host: host, port: UInt16(port))
    }

    var description: String {
        endpoint.host.contains(":") ? "coaps://[\(endpoint.host)]:\(endpoint.port)" : "coaps://\(endpoint.host):\(endpoint.port)"
    }

    static var defaultValueDescription: String { "coaps://127.0.0.1:5684" }
}
