import ArgumentParser
import CoAPTransport
import FleetPKI
import Foundation

/// Where the simulated devices' certificates come from: a folder of `SERIAL.crt`/`SERIAL.key` with the
/// fleet's `ca.crt`, or the server's admin API (`POST /api/v1/devices`), which issues them from the fleet CA.
struct CredentialOptions: ParsableArguments {
    @Option(help: "Folder with SERIAL.crt, SERIAL.key and ca.crt (the CA that signed the server's certificate).")
    var certs: String?

    @Option(name: .customLong("issue-via"), help: "Admin API base URL to provision devices through, e.g. http://127.0.0.1:8080.")
    var issueVia: String?

    @Option(name: .customLong("token-file"), help: "File holding an admin or installer token for --issue-via.")
    var tokenFile: String?

    @Option(help: "Model recorded for devices issued through --issue-via.")
    var model = "BF-100"

    @Option(name: .customLong("serial-prefix"), help: "Serial prefix for devices issued through --issue-via (default: SIM-XXXX- with a random XXXX).")
    var serialPrefix: String?

    func validate() throws {
        switch (certs, issueVia) {
        case (nil, nil): throw ValidationError("give --certs DIR or --issue-via URL (with --token-file)")
        case (.some, .some): throw ValidationError("--certs and --issue-via exclude each other")
        case (nil, .some): guard tokenFile != nil else { throw ValidationError("--issue-via needs --token-file") }
        case (.some, nil): break
        }
    }

    /// `count` devices. A folder with fewer certificates is used round robin (several sessions per device).
    func devices(count: Int) async throws -> [SimulatedIdentity] {
        if let certs { return try CredentialFolder(path: certs).load(count: count) }
        let token = try String(contentsOfFile: tokenFile!, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let issuer = DeviceIssuer(baseURL: URL(string: issueVia!)!, token: token, model: model)
        let prefix = serialPrefix ?? "SIM-\(String(UInt16.random(in: 0...UInt16.max), radix: 16, uppercase: true))-"
        return try await issuer.issue(count: count, serialPrefix: prefix, saveTo: nil)
    }
}

/// A device identity the simulator can connect as.
struct SimulatedIdentity: Sendable {
    let serial: String
    let credentials: CoAPClientCredentials
    /// The certificate's validity, to know when to renew it (nil: unknown, never renewed).
    var validity: ClosedRange<Date>?
    /// Where a renewed certificate and key are kept (nil: in memory only).
    var folder: URL?
}

/// A folder of `SERIAL.crt` + `SERIAL.key` files and one `ca.crt`.
struct CredentialFolder {
    let path: String

    func serials() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
        return names.filter { $0.hasSuffix(".crt") && $0 != "ca.crt" }.map { String($0.dropLast(4)) }
            .filter { names.contains("\($0).key") }.sorted()
    }

    func load(count: Int) throws -> [SimulatedIdentity] {
        let folder = URL(fileURLWithPath: path)
        let ca = folder.appendingPathComponent("ca.crt")
        guard FileManager.default.fileExists(atPath: ca.path) else {
            throw ValidationError("--certs \(path) has no ca.crt")
        }
        let serials = try serials()
        guard !serials.isEmpty else { throw ValidationError("--certs \(path) has no SERIAL.crt with a SERIAL.key") }
        let identities = try serials.prefix(count).map { serial in
            let certificate = folder.appendingPathComponent("\(serial).crt")
            let issued = try IssuedCredential(certificatePEM: String(contentsOf: certificate, encoding: .utf8), privateKeyPEM: nil)
            return SimulatedIdentity(
                serial: serial,
                credentials: try CoAPClientCredentials(
                    certificatePEM: certificate, privateKeyPEM: folder.appendingPathComponent("\(serial).key"), serverAuthorityPEM: ca),
                validity: issued.notValidBefore...issued.notValidAfter, folder: folder)
        }
        return (0..<count).map { identities[$0 % identities.count] }
    }
}
