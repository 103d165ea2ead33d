import FleetDomain
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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
