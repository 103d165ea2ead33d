import ArgumentParser

/// Simulated breakers over real DTLS: the demo fleet (`run`), the load generator (`load`), and a helper
/// that issues device credentials through the admin API (`provision`).
@main
struct BreakerSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "breaker-sim",
        abstract: "Simulated smart breakers over CoAP/DTLS: a demo fleet and a load generator.",
        subcommands: [LoadCommand.self, RunCommand.self, ProvisionCommand.self])
}
