import Foundation

extension AdminClient {
    /// A client with another token on the same server.
    public func with(token: String?) -> AdminClient {
        AdminClient(baseURL: baseURL, token: token)
    }

    /// Certifies a model valid from a year ago for ten years; throws unless 201.
    public func certify(_ code: String, capabilities: [String] = ["temperature", "leakage"]) async throws {
        let now = Date()
        let answer = try await post("/api/v1/models", json: [
            "code": code, "manufacturer": "Test Works", "certification_number": "2026010307000001",
            "valid_from": ISO8601DateFormatter().string(from: now.addingTimeInterval(-365 * 86_400)),
            "valid_until": ISO8601DateFormatter().string(from: now.addingTimeInterval(3650 * 86_400)),
            "rated_current_a": 63, "poles": 2, "capabilities": capabilities,
        ])
        guard answer.status == 201 else { throw Refused(what: "certify \(code)", answer: answer) }
    }

    /// Adds a site; throws unless 201.
    public func addSite(_ id: String, county: String, category: String = "commerce") async throws {
        let answer = try await post("/api/v1/sites", json: [
            "id": id, "name": "Site \(id)", "category": category, "county": county, "address": "1 Test Road",
            "manager": ["name": "Li Wei", "phone": "+86 359 1234567", "webhook_url": "https://hooks.example.com/\(id)"],
        ])
        guard answer.status == 201 else { throw Refused(what: "add site \(id)", answer: answer) }
    }

    /// Creates a token and returns its secret; throws unless 201.
    public func createToken(name: String, role: String, counties: [String] = []) async throws -> (id: String, secret: String) {
        var body: [String: Any] = ["name": name, "role": role]
        if !counties.isEmpty { body["counties"] = counties }
        let answer = try await post("/api/v1/tokens", json: body)
        guard answer.status == 201, let secret = answer.json["secret"] as? String,
              let id = (answer.json["token"] as? [String: Any])?["id"] as? String else {
            throw Refused(what: "create token \(name)", answer: answer)
        }
        return (id, secret)
    }

    struct Refused: Error, CustomStringConvertible {
        let what: String
        let answer: Answer
        var description: String { "\(what): \(answer.status) \(answer.text)" }
    }
}
