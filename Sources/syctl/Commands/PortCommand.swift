import ArgumentParser
import Northbound
import SyctlKit

/// `syctl port create`.
struct PortCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "port", abstract: "Create ports on logical switches.", subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a port.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The port's name, unique on its switch.") var name: String
        @Option(name: .customLong("switch"), help: "The switch (name or id).") var logicalSwitch: String
        @Option(help: "The tenant (name or id) the switch name is looked up in.") var tenant: String?
        @Option(help: "The IPv4 address (default: allocated).") var ip: String?
        @Option(help: "The IPv6 address, on a switch with an IPv6 subnet.") var ip6: String?
        @Option(help: "The MAC address (default: generated).") var mac: String?
        @Option(help: "The host (name or id) the port is bound to.") var host: String?
        @Option(help: "A label, key=value (repeatable).") var label: [String] = []

        func run() async throws {
            let body = PortCreate(switch: logicalSwitch, name: name, mac: mac, ip: ip, ip6: ip6, host: host,
                                  labels: try LabelParser.parse(label))
            Console.out(try await global.session().create(.port(body, tenant: tenant), as: Port.self))
        }
    }
}
