import ArgumentParser

/// The connection `syctl trace` and `syctl explain` ask about.
struct FlowOptions: ParsableArguments {
    @Option(help: "The source port (name or id).") var from: String
    @Option(help: "The destination: a port (name or id) or an IPv4 address.") var to: String
    @Option(help: "The tenant whose ports the names refer to.") var tenant: String?
    @Option(help: "tcp, udp, icmp or any.") var `protocol`: String?
    @Option(help: "The destination port number (with tcp or udp).") var port: Int?

    func validate() throws {
        if let port, !(1...65_535).contains(port) { throw ValidationError("--port must be from 1 to 65535") }
    }
}
