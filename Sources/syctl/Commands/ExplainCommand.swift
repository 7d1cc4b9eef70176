import ArgumentParser
import SyctlKit

/// `syctl explain`.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Say whether policies allow a connection from a port to a port or address, and which tier, policy and rule decided.",
        discussion: "Exits 1 when the connection is denied.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flow: FlowOptions

    func run() async throws {
        let (text, allowed) = try await global.session().explain(from: flow.from, to: flow.to, tenant: flow.tenant, protocol: flow.protocol, port: flow.port)
        Console.out(text)
        if !allowed { throw ExitCode(1) }
    }
}
