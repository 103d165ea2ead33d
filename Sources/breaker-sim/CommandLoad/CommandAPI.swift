import AdminAPIModel
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The admin API calls of the commands mode, through URLSession as the CLI makes them (so the measured
/// "API call" includes what any admin client pays for HTTP on this machine).
struct CommandAPI: Sendable {
    let baseURL: URL
    let token: String

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// `POST /api/v1/commands`: the new command's id.
    func issue(_ action: String, to serial: String, ttl: Int) async throws -> String {
        let body = CommandRequest(serial: serial, action: action, reason: "breaker-sim commands benchmark", ttlSeconds: ttl)
        let (status, data) = try await send("POST", "api/v1/commands", body: try AdminJSON.encoder().encode(body))
        guard status == 201, let command = try? AdminJSON.decoder().decode(CommandRepresentation.self, from: data) else {
            throw Failure(description: "HTTP \(status) \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return command.id
    }

    /// `POST /api/v1/sites/{id}/trip`, confirmed: the batch id and the commands it issued.
    func tripSite(_ site: String, ttl: Int) async throws -> (batch: String, commands: [String], refused: Int) {
        let body = SiteTripRequest(reason: "breaker-sim commands benchmark", confirm: site, ttlSeconds: ttl)
        let (status, data) = try await send("POST", "api/v1/sites/\(site)/trip", body: try AdminJSON.encoder().encode(body))
        guard status == 201, let trip = try? AdminJSON.decoder().decode(SiteTripRepresentation.self, from: data), let batch = trip.batch else {
            throw Failure(description: "site trip: HTTP \(status) \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        let commands = trip.entries.compactMap(\.command)
        return (batch, commands, trip.entries.count - commands.count)
    }

    /// `GET /api/v1/commands/{id}`: its state.
    func state(of id: String) async throws -> String {
        let (status, data) = try await send("GET", "api/v1/commands/\(id)", body: nil)
        guard status == 200, let command = try? AdminJSON.decoder().decode(CommandRepresentation.self, from: data) else {
            throw Failure(description: "HTTP \(status) \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return command.state
    }

    /// How many commands of a site trip the store shows `done` (one list call, up to 1 000).
    func doneCount(ofBatch batch: String) async throws -> Int {
        let (status, data) = try await send("GET", "api/v1/commands?site_trip=\(batch)&state=done&limit=1000", body: nil)
        guard status == 200, let list = try? AdminJSON.decoder().decode(CommandList.self, from: data) else {
            throw Failure(description: "HTTP \(status) \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return list.commands.count
    }

    private func send(_ method: String, _ path: String, body: Data?) async throws -> (Int, Data) {
        // appendingPathComponent would escape the query's `?`.
        guard let url = URL(string: path, relativeTo: baseURL) else { throw Failure(description: "bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}
