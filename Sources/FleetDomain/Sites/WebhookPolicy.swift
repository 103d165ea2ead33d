import Foundation

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
        guard text.utf8.count <= 2048 else { return "longer than 2048 characters" }
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
