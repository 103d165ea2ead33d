import FleetPKI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to a running server's admin API the way an operator's tooling would: HTTP + bearer token.
public struct AdminClient: Sendable {
    public struct Answer: Sendable {
        public let status: Int
        public let contentType: String?
        public let body: Data
        /// Response headers by lower-cased name.
        public var headers: [String: String] = [:]

        public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public let baseURL: URL
    public let token: String?

    public init(baseURL: URL, token: String?) {
        self.baseURL = baseURL
        self.token = token
    }

    public func get(_ path: String) async throws -> Answer {
        try await send("GET", path, body: nil)
    }

    public func post(_ path: String, json: [String: Any]) async throws -> Answer {
        try await send("POST", path, body: try JSONSerialization.data(withJSONObject: json))
    }

    public func send(_ method: String, _ path: String, body: Data?) async throws -> Answer {
        var request = URLRequest(url: URL(string: path, relativeTo: baseURL)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return Answer(
            status: http?.statusCode ?? 0, contentType: http?.value(forHTTPHeaderField: "Content-Type"), body: data, headers: headers)
    }

    /// Provisions a device through the API and writes its PEM files for a CoAP client.
    public func provision(_ serial: String, model: String, into folder: URL) async throws -> DeviceFiles {
        let answer = try await post("/api/v1/devices", json: ["serial": serial, "model": model])
        guard answer.status == 201, let credentials = answer.json["credentials"] as? [String: String],
              let certificate = credentials["certificate"], let key = credentials["private_key"],
              let ca = credentials["ca_certificate"] else {
            throw ProvisioningFailed(status: answer.status, body: answer.text)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = DeviceFiles(
            serial: serial, certificateURL: folder.appendingPathComponent("\(serial).crt"),
            keyURL: folder.appendingPathComponent("\(serial).key"), caURL: folder.appendingPathComponent("ca.crt"),
            credential: try IssuedCredential(certificatePEM: certificate, privateKeyPEM: key))
        try Data(certificate.utf8).write(to: files.certificateURL)
        try Data(key.utf8).write(to: files.keyURL)
        try Data(ca.utf8).write(to: files.caURL)
        return files
    }

    struct ProvisioningFailed: Error, CustomStringConvertible {
        let status: Int
        let body: String
        var description: String { "provisioning failed: \(status) \(body)" }
    }
}
