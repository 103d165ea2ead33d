import AdminAPIModel
import Hummingbird
import Prometheus

/// The endpoints for probes and scrapers: no token, as they carry no fleet data beyond counters and the
/// API binds to loopback by default.
struct OperationalHandlers: Sendable {
    /// The Prometheus text exposition format, version 0.0.4.
    static let metricsContentType = "text/plain; version=0.0.4"

    let prometheus: PrometheusCollectorRegistry

    /// `GET /healthz`: the process serves HTTP. Deliberately no store check, so a slow database does not
    /// get a healthy process restarted by its supervisor.
    func health(_ request: Request, _ context: AdminRequestContext) throws -> Response {
        try .json(HealthStatus(status: "ok"), request: request, context: context)
    }

    /// `GET /api/v1/openapi.json`: the API's OpenAPI 3.1 document. Open, like the router's own 404s: it
    /// holds no secrets, and clients and test tools read it before they have a token.
    func openAPI(_ request: Request, _ context: AdminRequestContext) -> Response {
        Response(
            status: .ok, headers: [.contentType: OpenAPIDocument.contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
    }

    /// `GET /metrics`: every metric in the registry.
    func metrics(_ request: Request, _ context: AdminRequestContext) -> Response {
        var bytes: [UInt8] = []
        prometheus.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: Self.metricsContentType],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
