/// Where the admin API listens.
///
/// Loopback by default: `/metrics` and `/healthz` answer without a token, so exposing the API beyond the
/// machine is a decision the operator makes explicitly (and fronts with TLS).
public struct AdminAPIConfiguration: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}
