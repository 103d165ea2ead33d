import AdminAPIModel
import CoAPTransport
import FleetPKI
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Provisions devices through the admin API (`POST /api/v1/devices`), which records each one and returns
/// its certificate, private key and the fleet CA (spec: identity only from the certificate).
struct DeviceIssuer: Sendable {
    let baseURL: URL
    let token: String
    let model: String
    /// Installs each issued device at this site too (`POST /api/v1/devices/SERIAL/installation`).
    var site: String?

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Issues `count` devices named `PREFIX000001`…, 8 requests at a time; optionally writes their PEM files.
    func issue(count: Int, serialPrefix: String, saveTo folder: URL?) async throws -> [SimulatedIdentity] {
        if let folder { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
        try await certifyModel()
        var identities: [SimulatedIdentity?] = Array(repeating: nil, count: count)
        var next = 0
        try await withThrowingTaskGroup(of: (Int, SimulatedIdentity).self) { group in
            func submit() {
                guard next < count else { return }
                let index = next
                next += 1
                let serial = serialPrefix + String(format: "%06d", index + 1)
                group.addTask { (index, try await self.provision(serial, saveTo: folder)) }
            }
            for _ in 0..<min(8, count) { submit() }
            while let (index, identity) = try await group.next() {
                identities[index] = identity
                submit()
                if (index + 1) % 500 == 0 { Progress.line("issued \(index + 1)/\(count) devices") }
            }
        }
        return identities.compactMap { $0 }
    }

    /// Records `model` as certified (valid for ten years from a year ago) so that devices of it may
    /// register; a model that is already there is fine.
    func certifyModel() async throws {
        let now = Date()
        let iso = ISO8601DateFormatter()
        let body = ModelRequest(
            code: model, manufacturer: "BreakerFleet simulator", certificationNumber: "2026010307000001",
            validFrom: iso.string(from: now.addingTimeInterval(-365 * 86_400)),
            validUntil: iso.string(from: now.addingTimeInterval(3650 * 86_400)),
            ratedCurrentA: 63, poles: 2, capabilities: ["temperature", "leakage"])
        let (status, data) = try await post("api/v1/models", body)
        guard status == 201 || status == 409 else {
            throw Failure(description: "certifying model \(model) failed: HTTP \(status) \(String(decoding: data, as: UTF8.self))")
        }
    }

    private func post(_ path: String, _ body: some Encodable) async throws -> (Int, Data) {
        var request = URLRequest(url: baseURL.appendingPathComponent(path))
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try AdminJSON.encoder().encode(body)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    private func provision(_ serial: String, saveTo folder: URL?) async throws -> SimulatedIdentity {
        let identity = try await issue(serial, saveTo: folder)
        if let site {
            let (status, data) = try await post("api/v1/devices/\(serial)/installation", InstallRequest(site: site, circuit: serial))
            guard status == 200 else {
                throw Failure(description: "installing \(serial) at \(site) failed: HTTP \(status) \(String(decoding: data, as: UTF8.self))")
            }
        }
        return identity
    }

    private func issue(_ serial: String, saveTo folder: URL?) async throws -> SimulatedIdentity {
        let (status, data) = try await post("api/v1/devices", ProvisionRequest(serial: serial, model: model))
        let credentials = (try? AdminJSON.decodeAnswer(Provisioned.self, status: status, data: data))?.credentials
        guard status == 201, let credentials, let certificate = credentials.certificatePEM, let key = credentials.privateKeyPEM else {
            throw Failure(description: "provisioning \(serial) failed: HTTP \(status) \(String(decoding: data, as: UTF8.self))")
        }
        if let folder {
            try Data(certificate.utf8).write(to: folder.appendingPathComponent("\(serial).crt"))
            // Created 0600 from the first byte, never world-readable between a write and a chmod.
            try SecureFile.write(Array(key.utf8), to: folder.appendingPathComponent("\(serial).key"), mode: SecureFile.privateMode)
            try Data(credentials.caCertificatePEM.utf8).write(to: folder.appendingPathComponent("ca.crt"))
        }
        return SimulatedIdentity(serial: serial, credentials: try CoAPClientCredentials(
            certificatePEM: certificate, privateKeyPEM: key, serverAuthorityPEM: credentials.caCertificatePEM))
    }
}
