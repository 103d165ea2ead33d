import AdminAPIModel
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

    @Flag(help: "Send the token over plain http:// to a host other than this machine (it can be read on the way).")
    var insecureHttp = false

    func validate() throws {
        guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", let host = url.host else {
            throw ValidationError("--server: \(server) is not an http(s) URL")
        }
        if url.scheme == "http", !Self.isLoopback(host), !insecureHttp {
            throw ValidationError(
                "--server: \(server) is plain http to another machine: the token (or claim code) would cross the network "
                    + "readable; use https://, or pass --insecure-http to send it anyway")
        }
    }

    /// `localhost`, 127.0.0.0/8 and ::1: traffic that never leaves the machine.
    static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
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

/// A typed client of the admin API: request and answer types from `AdminAPIModel`, the same the server
/// decodes and encodes, so the two cannot disagree; problems become readable errors.
struct APIClient {
    let base: URL
    let token: String

    init(_ options: ServerOptions) throws {
        base = try Self.base(options)
        token = try options.token()
    }

    /// A client without a token, for the one call whose credential is in its body (claim redemption).
    init(anonymous options: ServerOptions) throws {
        base = try Self.base(options)
        token = ""
    }

    private static func base(_ options: ServerOptions) throws -> URL {
        guard let url = URL(string: options.server) else { throw CLIError("--server: \(options.server) is not a URL") }
        return url
    }

    func get<Answer: Decodable>(_ path: String, query: [URLQueryItem] = [], as type: Answer.Type = Answer.self) async throws -> Answer {
        try await send("GET", path, query: query, body: nil)
    }

    func post<Answer: Decodable>(
        _ path: String, _ body: some Encodable, query: [URLQueryItem] = [], as type: Answer.Type = Answer.self
    ) async throws -> Answer {
        try await send("POST", path, query: query, body: try AdminJSON.encoder().encode(body))
    }

    func put<Answer: Decodable>(_ path: String, _ body: some Encodable, as type: Answer.Type = Answer.self) async throws -> Answer {
        try await send("PUT", path, query: [], body: try AdminJSON.encoder().encode(body))
    }

    func delete<Answer: Decodable>(_ path: String, query: [URLQueryItem] = [], as type: Answer.Type = Answer.self) async throws -> Answer {
        try await send("DELETE", path, query: query, body: nil)
    }

    /// POSTs a JSON document as it is (a profile file), not re-encoded.
    func post<Answer: Decodable>(_ path: String, document: Data, as type: Answer.Type = Answer.self) async throws -> Answer {
        try await send("POST", path, query: [], body: document)
    }

    private func send<Answer: Decodable>(_ method: String, _ path: String, query: [URLQueryItem], body: Data?) async throws -> Answer {
        var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        if !query.isEmpty { components?.queryItems = query }
        guard let url = components?.url else { throw CLIError("cannot build a URL from \(base.absoluteString) and \(path)") }
        var request = URLRequest(url: url)
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
        do {
            return try AdminJSON.decodeAnswer(Answer.self, status: status, data: data)
        } catch .problem(let problem) {
            throw CLIError(problem: problem)
        } catch .unexpected(let reason) {
            throw CLIError("\(method) \(url.path): unexpected answer from the server: \(reason)")
        }
    }
}

/// A failure to show the user as one readable message (and exit 1).
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) { description = message }

    /// A problem from the server: status and title, then the detail or one line per invalid field.
    init(problem: ProblemDetails) {
        description = problem.description
    }
}

/// `{}`: the body of a POST that carries nothing but its path (revoking a token).
struct EmptyBody: Encodable {}
