import ArgumentParser
import FleetPKI
import Foundation

struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca", abstract: "Manage the fleet certificate authority.", subcommands: [Init.self, Manufacturer.self, FactoryCertificate.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the fleet CA and the server certificate.",
            discussion: "Private keys are written with mode 0600 and are git-ignored; the certificates may be committed.")

        @Option(help: "Folder to create the PKI in.")
        var dir: String = "Certificates"

        @Option(help: "The CA's common name.")
        var name: String = "BreakerFleet Fleet CA"

        @Option(help: "An extra DNS name or IP address for the server certificate (repeatable).")
        var serverName: [String] = []

        @Flag(help: "Replace an existing CA (every device certificate it issued stops being trusted).")
        var force = false

        func run() throws {
            let directory = PKIDirectory(url: URL(fileURLWithPath: dir))
            if directory.hasAuthority && !force {
                throw ValidationError("\(dir) already holds a fleet CA; pass --force to replace it")
            }
            let pki = try directory.initialize(commonName: name, serverNames: serverName, force: force)
            print("created fleet CA \"\(pki.authority.commonName)\" (valid until \(pki.authority.notValidAfter))")
            print("  \(directory.authorityCertificateURL.path)")
            print("  \(directory.authorityKeyURL.path)  (private, 0600)")
            print("  \(directory.serverCertificateURL.path)")
            print("  \(directory.serverKeyURL.path)  (private, 0600)")
        }
    }
}
