import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where the admin API is and how to authenticate, shared by every command that talks to the server.
struct ServerOptions: ParsableArguments {
    @Option(help: "Admin API base URL (or BREAKERFLEET_SERVER).")
    var server: String = ProcessInfo.processInfo.environment["BREAKERFLEET_SERVER"] ?? "http://127.0.0.1:8080"

    @Option(help: "File holding the API token (default: BREAKERFLEET_TOKEN, else <data dir>/admin.token).")
    var tokenFile: String?

    func validate() throws {
        guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationError("--server: \(server) is not an http(s) URL")
        }
    }

    func token() throws -> String {
        if let tokenFile { return try Self.read(tokenFile, flag: "--token-file") }
        let environment = ProcessInfo.processInfo.environment
        if let token = environment["BREAKERFLEET_TOKEN"], !token.isEmpty { return token }
        let dataDir = environment["BREAKERFLEET_DATA_DIR"] ?? "data"
        return try Self.read(dataDir + "/admin.token", flag: "the local admin token (pass --token-file or set BREAKERFLEET_TOKEN)")
    }

    private static func read(_ path: String, flag: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("\(flag): cannot read \(path)")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A small client of the admin API: JSON in, JSON out, problems turned into readable errors.
struct APIClient {
    let base: URL
    let token: String

    init(_ options: ServerOptions) throws {
        base = URL(string: options.server)!
        token = try options.token()
    }

    /// A client without a token, for the one call whose credential is in its body (claim redemption).
    init(anonymous options: ServerOptions) {
        base = URL(string: options.server)!
        token = ""
    }

    func get(_ path: String, query: [URLQueryItem] = []) async throws -> [String: Any] {
        try await send("GET", path, query: query, body: nil)
    }

    func post(_ path: String, _ body: [String: Any], query: [URLQueryItem] = []) async throws -> [String: Any] {
        try await send("POST", path, query: query, body: try JSONSerialization.data(withJSONObject: body))
    }

    func put(_ path: String, _ body: [String: Any]) async throws -> [String: Any] {
        try await send("PUT", path, query: [], body: try JSONSerialization.data(withJSONObject: body))
    }

    func delete(_ path: String, query: [URLQueryItem] = []) async throws -> [String: Any] {
        try await send("DELETE", path, query: query, body: nil)
    }

    /// POSTs a JSON document as it is (a profile file), not re-encoded.
    func post(_ path: String, document: Data) async throws -> [String: Any] {
        try await send("POST", path, query: [], body: document)
    }

    private func send(_ method: String, _ path: String, query: [URLQueryItem], body: Data?) async throws -> [String: Any] {
        var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query }
        var request = URLRequest(url: components.url!)
        request.httpMethod = method
        if !token.isEmpty { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CLIError("cannot reach \(base.absoluteString): \(error.localizedDescription) (is `breakerfleet serve` running?)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        guard (200..<300).contains(status) else { throw CLIError(problem: object, status: status) }
        return object
    }
}

/// A failure to show the user as one readable message (and exit 1).
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) { description = message }

    init(problem: [String: Any], status: Int) {
        var text = "\(status) \(problem["title"] as? String ?? "error")"
        let errors = problem["errors"] as? [Any] ?? []
        // A validation problem's detail only joins its errors, which follow one per line.
        if errors.isEmpty, let detail = problem["detail"] as? String { text += ": \(detail)" }
        for case let error as [String: Any] in problem["errors"] as? [Any] ?? [] {
            let field = error["field"] as? String ?? "?"
            let message = error["message"] as? String ?? ""
            text += message.hasPrefix(field) ? "\n  \(message)" : "\n  \(field): \(message)"
        }
        description = text
    }
}
