import ArgumentParser
import FleetPKI
import Foundation

struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca", abstract: "Manage the fleet certificate authorities.",
        subcommands: [Init.self, RotateIssuer.self, Migrate.self, Show.self, Manufacturer.self, FactoryCertificate.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the fleet root CA, an issuing CA under it, and the server certificate.",
            discussion: """
                The root (pathLen 1, 20 years) only signs issuing CAs; the issuing CA (pathLen 0, 5 years) signs the \
                server and device certificates and is the only CA key the server reads. The root key is written to \
                --root-key: move it offline. Private keys are written with mode 0600 and are git-ignored.
                """)

        @Option(help: "Folder to create the PKI in.")
        var dir: String = "Certificates"

        @Option(help: "The root CA's common name.")
        var name: String = "BreakerFleet Fleet CA"

        @Option(help: "Where to write the root CA's private key (default DIR/fleet-root.key).")
        var rootKey: String?

        @Option(help: "An extra DNS name or IP address for the server certificate (repeatable).")
        var serverName: [String] = []

        @Flag(help: "Replace an existing CA (every device certificate it issued stops being trusted).")
        var force = false

        func run() throws {
            let directory = PKIDirectory(url: URL(fileURLWithPath: dir))
            if (directory.hasAuthority || FileManager.default.fileExists(atPath: directory.rootCertificateURL.path)) && !force {
                throw ValidationError("\(dir) already holds a fleet CA; pass --force to replace it")
            }
            let rootKeyURL = rootKey.map { URL(fileURLWithPath: $0) } ?? directory.rootKeyURL
            let pki = try directory.initialize(commonName: name, serverNames: serverName, rootKeyURL: rootKeyURL, force: force)
            print("created fleet root CA \"\(name)\" and issuing CA \"\(pki.authority.commonName)\" (valid until \(pki.authority.notValidAfter))")
            print("  \(directory.rootCertificateURL.path)  root certificate: what devices pin")
            print("    sha256 \(DERFingerprint.sha256Hex(pki.fleetRootDER))")
            print("  \(rootKeyURL.path)  root key (private, 0600): MOVE IT OFFLINE")
            print("  \(directory.authorityCertificateURL.path)  issuing CA")
            print("  \(directory.authorityKeyURL.path)  issuing CA key (private, 0600; the server needs it)")
            print("  \(directory.serverCertificateURL.path), \(directory.serverKeyURL.path)  server certificate and key")
            printRootKeyAdvice(rootKeyURL)
        }
    }
}

/// How to take the root key off the server, printed after every command that wrote it there.
func printRootKeyAdvice(_ rootKeyURL: URL) {
    print("""

        The server never reads the root key. Move it offline now, e.g. to an encrypted removable disk kept in a safe:
          cp \(rootKeyURL.path) /media/offline/fleet-root.key && shred -u \(rootKeyURL.path)
        Bring it back only to rotate the issuing CA:
          breakerfleet ca rotate-issuer --root-key /media/offline/fleet-root.key
        """)
}
