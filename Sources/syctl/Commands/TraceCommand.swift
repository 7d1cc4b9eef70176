import ArgumentParser
import SyctlKit

/// `syctl trace`.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Show the path a packet takes from a port to a port or address, through the state the hosts were given (admin).",
        discussion: "Exits 1 when the packet is dropped, like ping when nothing answers.")

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
        let (text, delivered) = try await global.session().trace(from: from, to: to, tenant: tenant, protocol: `protocol`, port: port)
        Console.out(text)
        if !delivered { throw ExitCode(1) }
    }
}
