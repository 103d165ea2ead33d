import AdminAPIModel
import FleetDomain
import Foundation
import Hummingbird

/// The request context of the admin API: Hummingbird's core storage plus the token that authenticated
/// the call. `BearerAuthMiddleware` sets the token once, so each route checks its roles without
/// another store lookup.
struct AdminRequestContext: RequestContext {
    /// The largest request body read. Provisioning bodies are two short strings; 64 KiB leaves room for
    /// future fields while refusing a flood before it is buffered.
    static let bodyLimit = 64 * 1024

    var coreContext: CoreRequestContextStorage
    /// Nil on the open endpoints (`/healthz`, `/metrics`) and before authentication.
    var token: StoredToken?
    /// The peer's IP address (what rate limits of unauthenticated calls count by); nil if unknown.
    let sourceAddress: String?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.token = nil
        self.sourceAddress = source.channel.remoteAddress?.ipAddress
    }

    var maxUploadSize: Int { Self.bodyLimit }

    /// RFC 3339 dates, sorted keys, `/` unescaped: the encoder the CLI decodes with (`AdminJSON`).
    var responseEncoder: JSONEncoder { AdminJSON.encoder() }

    /// The id Hummingbird gave this request, also in every log line about it; quoted in 500 problems so
    /// an operator can find the logged cause.
    var requestID: String {
        logger[metadataKey: "hb.request.id"].map { "\($0)" } ?? "unknown"
    }
}
