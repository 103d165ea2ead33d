import ArgumentParser
import FleetPKI
import Foundation

/// The commands that need the offline root key: a new issuing CA, and turning a single-level CA into a root.
extension CACommand {
    struct RotateIssuer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-issuer",
            abstract: "Make a new issuing CA under the root (needs the root key).",
            discussion: """
                The current issuing CA moves to DIR/fleet/issuers/ and stays trusted until it expires, so every \
                device certificate issued so far keeps working; the server certificate is issued again. Restart \
                `serve` to use the new issuing CA.
                """)

        @Option(help: "The PKI folder.") var dir: String = "Certificates"
        @Option(help: "The root CA's private key (e.g. on the offline disk).") var rootKey: String
        @Option(help: "The new issuing CA's lifetime in years, 1–20.") var years: Int = 5

        func validate() throws {
            guard (1...20).contains(years) else { throw ValidationError("--years: \(years) is outside 1–20") }
        }

        func run() throws {
            let directory = PKIDirectory(url: URL(fileURLWithPath: dir))
            let pki = try directory.rotateIssuer(
                rootKeyURL: URL(fileURLWithPath: rootKey), validFor: Double(years) * CertificateAuthority.year)
            print("new issuing CA \"\(pki.authority.commonName)\" (valid until \(pki.authority.notValidAfter))")
            print("  sha256 \(DERFingerprint.sha256Hex(pki.authority.certificateDER))")
            print("still trusted until they expire: \(pki.fleetIssuersDER.count - 1) previous issuing CA(s) in \(directory.previousIssuersURL.path)")
            print("restart `breakerfleet serve` to issue device certificates from the new issuing CA")
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn a single-level fleet CA into root + issuing CA, keeping every certificate valid.",
            discussion: """
                The old CA's key becomes the root key (its certificate is re-issued with the same name and key, \
                now allowed to sign an issuing CA), a new issuing CA is made under it, and the server certificate \
                is re-issued by the root so devices holding the old CA certificate still verify the server. \
                Back up DIR first; stop the server, run this, start it again.
                """)

        @Option(help: "The PKI folder.") var dir: String = "Certificates"
        @Option(help: "Where to write the root key (default DIR/fleet-root.key).") var rootKey: String?

        func run() throws {
            let directory = PKIDirectory(url: URL(fileURLWithPath: dir))
            let migration = try directory.migrate(rootKeyURL: rootKey.map { URL(fileURLWithPath: $0) })
            let pki = migration.loaded
            print("migrated \(dir) to a root and an issuing CA; every certificate issued so far stays valid")
            print("  \(directory.rootCertificateURL.path)  root (same name and key as the old CA)")
            print("    sha256 \(DERFingerprint.sha256Hex(pki.fleetRootDER))")
            print("  \(directory.authorityCertificateURL.path)  new issuing CA \"\(pki.authority.commonName)\"")
            print("  \(directory.legacyAuthorityURL.path)  the old CA certificate, for the record")
            print("  \(migration.rootKeyURL.path)  root key (the old CA's key; private, 0600): MOVE IT OFFLINE")
            printRootKeyAdvice(migration.rootKeyURL)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every CA the server trusts, with its SHA-256 fingerprint (what bans name).")

        @Option(help: "The PKI folder.") var dir: String = "Certificates"

        func run() throws {
            let pki = try PKIDirectory(url: URL(fileURLWithPath: dir)).load()
            var rows = [["root", name(pki.fleetRootDER), DERFingerprint.sha256Hex(pki.fleetRootDER)]]
            for (index, issuer) in pki.fleetIssuersDER.enumerated() {
                rows.append([index == 0 ? "issuer" : "previous issuer", name(issuer), DERFingerprint.sha256Hex(issuer)])
            }
            for manufacturer in pki.manufacturerCAs {
                rows.append(["manufacturer (\(manufacturer.fileName))", manufacturer.name, DERFingerprint.sha256Hex(manufacturer.der)])
            }
            printTable(header: ["ROLE", "NAME", "SHA-256"], rows: rows)
            for warning in pki.warnings { print("warning: \(warning)") }
        }

        private func name(_ der: [UInt8]) -> String {
            ((try? CertificateInspector.subjectCommonName(ofCertificateDER: der)) ?? nil) ?? ""
        }
    }
}
