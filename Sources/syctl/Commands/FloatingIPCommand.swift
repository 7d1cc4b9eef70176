import ArgumentParser
import Northbound
import SyctlKit

/// `syctl floating-ip create`.
struct FloatingIPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "floating-ip", abstract: "Allocate floating IPs.", subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Allocate a floating IP, optionally mapped to a port.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "The tenant (name or id); a tenant token implies its own.") var tenant: String?
        @Option(help: "The external network (name or id) to allocate from.") var externalNetwork: String
        @Option(help: "The address (default: the next free one in the pool).") var address: String?
        @Option(help: "The port (name or id) to map the address to.") var port: String?
        @Option(name: .customLong("switch"), help: "The switch (name or id) the port name is looked up on.") var logicalSwitch: String?
        @Option(help: "A label, key=value (repeatable).") var label: [String] = []

        func validate() throws {
            if logicalSwitch != nil, port == nil { throw ValidationError("--switch names the port's switch, so it needs --port") }
        }

        func run() async throws {
            let body = FloatingIPCreate(tenant: tenant, externalNetwork: externalNetwork, address: address, port: port,
                                        labels: try LabelParser.parse(label))
            Console.out(try await global.session().create(.floatingIP(body, portSwitch: logicalSwitch), as: FloatingIP.self))
        }
    }
}
