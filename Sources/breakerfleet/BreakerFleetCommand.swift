import ArgumentParser

@main
struct BreakerFleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "breakerfleet",
        abstract: "Run and administer a fleet of smart circuit breakers.",
        subcommands: [
            ServeCommand.self, CACommand.self, DeviceCommand.self, TokenCommand.self, ModelCommand.self, SiteCommand.self,
            ClaimCommand.self, BanCommand.self, ProfileCommand.self, SecurityCommand.self, IngestCommand.self,
            CommandCommand.self, AuditCommand.self,
        ])
}
