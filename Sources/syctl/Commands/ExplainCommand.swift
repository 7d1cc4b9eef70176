import ArgumentParser
import SyctlKit

/// `syctl explain`.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Say whether policies allow a connection from a port to a port or address, and which tier, policy and rule decided.",
        discussion: "Exits 1 when the connection is denied.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The source port (name or id).") var from: String
    @Option(help: "The destination: a port (name or id) or an IPv4 address.") var to: String
    @Option(help: "The tenant whose ports the names refer to.") var tenant: String?
    @Option(help: "tcp, udp, icmp or any.") var `protocol`: String?
    @Option(help: "The destination port number (with tcp or udp).") var port: Int?

    func validate() throws {
        if let port, !(1...65_535).contains(port) { throw ValidationError("--port must be from 1 to 65535") }
    }

    func run() async throws {
        let (text, allowed) = try await global.session().explain(from: from, to: to, tenant: tenant, protocol: `protocol`, port: port)
        Console.out(text)
        if !allowed { throw ExitCode(1) }
    }
}
