import AdminAPIModel
import ArgumentParser
import FleetDomain
import Foundation

struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "Sites where devices are installed.", subcommands: [Add.self, List.self, Show.self, Trip.self, RotateSecret.self, Notifications.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a site.")

        @Argument(help: "Site id, \(Site.idRule).") var id: String
        @Option(help: "Name of the site (用电单位).") var name: String
        @Option(help: "One of: \(Site.categoryList).") var category: String
        @Option(help: "County code, \(County.rule).") var county: String
        @Option(help: "Address.") var address: String
        @Option(help: "Site manager's name.") var managerName: String
        @Option(help: "Site manager's phone.") var managerPhone: String
        @Option(help: "https URL alarm notifications are POSTed to.") var webhookURL: String?
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard Site.isValidID(id) else { throw ValidationError("ID: \(id) does not match \(Site.idRule)") }
            guard let parsed = SiteCategory(rawValue: category), parsed != .default else {
                throw ValidationError("--category: \(category) is not one of \(Site.categoryList)")
            }
            guard County.isValid(county) else { throw ValidationError("--county: \(county) is not \(County.rule)") }
        }

        func run() async throws {
            let manager = SiteRequest.Manager(name: managerName, phone: managerPhone, webhookURL: webhookURL)
            let answer: SiteRepresentation = try await APIClient(server).post("api/v1/sites", SiteRequest(
                id: id, name: name, category: category, county: county, address: address, manager: manager))
            if json { return try printJSON(answer) }
            print("added site \(id) (\(category), county \(county))")
            if let secret = answer.webhookSecret {
                print("webhook signing secret (shown once; `site rotate-secret \(id)` makes a new one): \(secret)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sites.")
        @Option(help: "Only sites in this county.") var county: String?
        @Flag(help: "Print the API's JSON.") var json = false
        @OptionGroup var server: ServerOptions

        func validate() throws {
            if let county, !County.isValid(county) { throw ValidationError("--county: \(county) is not \(County.rule)") }
        }

        func run() async throws {
            let query = county.map { [URLQueryItem(name: "county", value: $0)] } ?? []
            let answer: SiteList = try await APIClient(server).get("api/v1/sites", query: query)
            if json { return try printJSON(answer) }
            printTable(header: ["ID", "NAME", "CATEGORY", "COUNTY", "ADDRESS"], rows: answer.sites.map { site in
                [site.id, site.name, site.category.rawValue, site.county, site.address]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one site.")
        @Argument(help: "Site id.") var id: String
        @OptionGroup var server: ServerOptions

        func validate() throws {
            guard Site.isValidID(id) else { throw ValidationError("ID: \(id) does not match \(Site.idRule)") }
        }

        func run() async throws {
            try printJSON(try await APIClient(server).get("api/v1/sites/\(id)", as: SiteRepresentation.self))
        }
    }
}
