import FleetDomain
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Which webhook URLs the server posts to: https always; plain http only to this machine's loopback
/// (`http://127.0.0.1`, `http://[::1]`, `http://localhost`) and only when the operator allowed it for
/// development and trials (`serve --allow-loopback-http-webhooks`): a notice carries site details.
public struct WebhookPolicy: Sendable, Equatable {
    public var allowsLoopbackHTTP: Bool

    public init(allowsLoopbackHTTP: Bool = false) {
        self.allowsLoopbackHTTP = allowsLoopbackHTTP
    }

    /// Nil if allowed, else why not.
    public func refusal(of text: String) -> String? {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return "\(text) is not a URL with a host"
        }
        if scheme == "https" { return nil }
        if scheme == "http" && allowsLoopbackHTTP && ["127.0.0.1", "::1", "[::1]", "localhost"].contains(host.lowercased()) { return nil }
        return allowsLoopbackHTTP
            ? "webhooks must be https:// (plain http only to 127.0.0.1, ::1 or localhost)"
            : "webhooks must be https:// (serve --allow-loopback-http-webhooks permits http://127.0.0.1 for development)"
    }
}

/// Posts one notice; any thread.
public protocol WebhookTransport: Sendable {
    /// The HTTP status of the answer, or throws why there was none.
    func post(_ body: [UInt8], to url: URL, headers: [String: String], timeout: TimeInterval) async throws -> Int
}

/// URLSession (libcurl on Linux): https with the system's trust store.
public struct URLSessionWebhookTransport: WebhookTransport {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    public func post(_ body: [UInt8], to url: URL, headers: [String: String], timeout: TimeInterval) async throws -> Int {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (_, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        return http.statusCode
    }
}
