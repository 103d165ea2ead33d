import ArgumentParser

@main
struct BreakerFleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "breakerfleet",
        abstract: "Run and administer a fleet of smart circuit breakers.",
        subcommands: [ServeCommand.self, CACommand.self, DeviceCommand.self])
}
