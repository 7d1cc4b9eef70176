import ArgumentParser
import SyctlKit

/// `syctl trace`.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Show the path a packet takes from a port to a port or address, through the state the hosts were given (admin).",
        discussion: "Exits 1 when the packet is dropped, like ping when nothing answers.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flow: FlowOptions

    func run() async throws {
        let (text, delivered) = try await global.session().trace(from: flow.from, to: flow.to, tenant: flow.tenant, protocol: flow.protocol, port: flow.port)
        Console.out(text)
        if !delivered { throw ExitCode(1) }
    }
}
