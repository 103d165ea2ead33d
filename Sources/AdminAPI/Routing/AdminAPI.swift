import FleetDomain
import FleetServices
import Foundation
import Hummingbird
import Logging
import Prometheus

/// The admin HTTP API: devices, tokens and metrics for admins, installers and supervisors.
///
/// Every error is an RFC 9457 problem (`application/problem+json`); everything under `/api/v1` needs
/// `Authorization: Bearer <token>` (see `AdminTokens`), with roles declared per route in `routes()`.
public struct AdminAPI: Sendable {
    let configuration: AdminAPIConfiguration
    let store: any FleetStore
    let provisioning: Provisioning
    let services: RegistryServices
    let prometheus: PrometheusCollectorRegistry
    let logger: Logger
    /// Injected so token expiry, device presence and profile progress can be tested at chosen instants:
    /// no handler reads the wall clock itself.
    let clock: @Sendable () -> Date
    /// Token and claim-code secrets and ids.
    let random: any RandomSource
    /// One for the application: `routes()` is called more than once, the counts must not be.
    let redemptionLimiter: AttemptLimiter
    /// Where every admin write is recorded, with the token that made it.
    let audit: AuditTrail

    public init(
        configuration: AdminAPIConfiguration, store: any FleetStore, provisioning: Provisioning, services: RegistryServices,
        prometheus: PrometheusCollectorRegistry, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init,
        random: any RandomSource = SystemRandomSource()
    ) {
        self.configuration = configuration
        self.store = store
        self.provisioning = provisioning
        self.services = services
        self.prometheus = prometheus
        self.logger = logger
        self.clock = clock
        self.random = random
        self.redemptionLimiter = AttemptLimiter(limit: configuration.claimRedemptions)
        self.audit = AuditTrail(store: store, clock: clock, logger: logger)
    }

    /// A Hummingbird application serving the API: a `Service` to run in the server's `ServiceGroup`,
    /// which stops accepting connections on graceful shutdown.
    public func makeApplication() -> some ApplicationProtocol {
        Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            logger: logger)
    }

    /// Middleware order, outermost first: metrics see the final status of every request, problems are
    /// rendered before that, and authentication runs inside so its 401s become problems too.
    func makeRouter() -> Router<AdminRequestContext> {
        let routes = routes()
        // HEAD answered from GET, as clients and probes expect of any GET resource.
        let router = Router(context: AdminRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: ProblemMiddleware(routes: RouteIndex(routes)))
        router.add(middleware: BearerAuthMiddleware(store: store, clock: clock))
        for route in routes {
            router.on(RouterPath(route.path), method: route.method) { request, context in
                try await route.respond(to: request, context: context)
            }
        }
        return router
    }
}
