import ArgumentParser
import FleetDomain
import FleetPKI
import Foundation

/// Development stand-ins for a breaker manufacturer's factory PKI, so factory trust can be tried and tested
/// without a real manufacturer: the CA certificate goes where the server trusts it, the key stays private.
extension CACommand {
    struct Manufacturer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "manufacturer",
            abstract: "Create a DEVELOPMENT manufacturer CA whose factory certificates the fleet trusts.",
            discussion: """
                Writes the CA certificate to DIR/manufacturers/SLUG.crt (trusted by `serve` at its next start) \
                and its key to DIR/manufacturer-keys/SLUG.key (0600, git-ignored). Real manufacturers ship only \
                their CA certificate.
                """)

        @Option(help: "The PKI folder.") var dir: String = "Certificates"
        @Option(help: "The manufacturer CA's common name.") var name: String = "BreakerFleet Dev Manufacturer CA"

        func run() throws {
            let pki = PKIDirectory(url: URL(fileURLWithPath: dir))
            let slug = Self.slug(name)
            let certificateURL = pki.manufacturersURL.appendingPathComponent("\(slug).crt")
            guard !FileManager.default.fileExists(atPath: certificateURL.path) else {
                throw ValidationError("--name: \(certificateURL.path) already exists")
            }
            let authority = try CertificateAuthority.create(commonName: name, organization: name)
            let keyFolder = URL(fileURLWithPath: dir).appendingPathComponent("manufacturer-keys")
            try FileManager.default.createDirectory(at: pki.manufacturersURL, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: keyFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try SecureFile.write(Array(authority.certificatePEM.utf8), to: certificateURL, mode: SecureFile.publicMode)
            try SecureFile.write(Array(authority.privateKeyPEM.utf8), to: keyFolder.appendingPathComponent("\(slug).key"), mode: SecureFile.privateMode)
            try SecureFile.write(Array(authority.certificatePEM.utf8), to: keyFolder.appendingPathComponent("\(slug).crt"), mode: SecureFile.publicMode)
            print("created manufacturer CA \"\(name)\": \(certificateURL.path) (trusted), \(keyFolder.path)/\(slug).key (private)")
        }

        static func slug(_ name: String) -> String {
            let lowered = name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
            return String(lowered).split(separator: "-").joined(separator: "-")
        }
    }

    struct FactoryCertificate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "factory-cert",
            abstract: "Issue a factory certificate (CN = SERIAL) from a development manufacturer CA.")

        @Argument(help: "Serial number, \(Serial.rule).") var serial: String
        @Option(help: "The PKI folder.") var dir: String = "Certificates"
        @Option(help: "The manufacturer CA's common name (as given to `ca manufacturer`).") var manufacturer: String = "BreakerFleet Dev Manufacturer CA"
        @Option(help: "Folder to write SERIAL.crt and SERIAL.key (0600) into.") var out: String

        func validate() throws {
            guard Serial.isValid(serial) else { throw ValidationError("SERIAL: \(serial) does not match \(Serial.rule)") }
        }

        func run() throws {
            let folder = URL(fileURLWithPath: dir).appendingPathComponent("manufacturer-keys")
            let slug = Manufacturer.slug(manufacturer)
            guard let certificate = try? String(contentsOf: folder.appendingPathComponent("\(slug).crt"), encoding: .utf8),
                  let key = try? String(contentsOf: folder.appendingPathComponent("\(slug).key"), encoding: .utf8) else {
                throw ValidationError("--manufacturer: no development CA \"\(manufacturer)\" in \(folder.path) (run `breakerfleet ca manufacturer` first)")
            }
            let authority = try CertificateAuthority(certificatePEM: certificate, privateKeyPEM: key)
            let issued = try authority.issueDeviceCertificate(serial: serial)
            let output = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            try issued.writePEM(certificateTo: output.appendingPathComponent("\(serial).crt"),
                                privateKeyTo: output.appendingPathComponent("\(serial).key"))
            print("factory certificate for \(serial) from \"\(manufacturer)\": \(out)/\(serial).crt, \(out)/\(serial).key")
        }
    }
}
