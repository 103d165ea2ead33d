import FleetDomain

/// Where the admin API listens, and how hard an unauthenticated caller may knock.
///
/// Loopback by default: `/metrics` and `/healthz` answer without a token, so exposing the API beyond the
/// machine is a decision the operator makes explicitly (and fronts with TLS).
public struct AdminAPIConfiguration: Sendable {
    /// At most `attempts` per `seconds`, refilled evenly (a token bucket).
    public struct RateLimit: Sendable, Equatable {
        public var attempts: Int
        public var seconds: Double

        public init(attempts: Int, per seconds: Double) {
            precondition(attempts >= 1 && seconds > 0, "a rate limit needs at least one attempt over a positive time")
            self.attempts = attempts
            self.seconds = seconds
        }
    }

    public var host: String
    public var port: Int
    /// Claim-code redemptions per source address (they need no token): 10 a minute by default, successful
    /// and failed ones alike.
    public var claimRedemptions: RateLimit
    /// Which webhook URLs a site may be given.
    public var webhooks: WebhookPolicy

    public init(host: String = "127.0.0.1", port: Int = 8080, claimRedemptions: RateLimit = .init(attempts: 10, per: 60),
                webhooks: WebhookPolicy = WebhookPolicy()) {
        self.webhooks = webhooks
        self.host = host
        self.port = port
        self.claimRedemptions = claimRedemptions
    }
}
