import ArgumentParser
import Northbound
import SyctlKit

/// `syctl switch create`.
struct SwitchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switch", abstract: "Create logical switches.", subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a logical switch.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The switch's name.") var name: String
        @Option(help: "The tenant (name or id); a tenant token implies its own.") var tenant: String?
        @Option(help: "The project (name or id).") var project: String?
        @Option(help: "The IPv4 subnet, like 10.10.0.0/24.") var cidr: String
        @Option(help: "The IPv4 gateway (default: the first host address).") var gateway: String?
        @Option(help: "An IPv6 subnet, like fd00:10::/64.") var cidr6: String?
        @Option(help: "The IPv6 gateway (default: the first address).") var gateway6: String?
        @Option(help: "The largest MTU (default: 8950; each host caps it at its underlay MTU − 50).") var mtu: Int?
        @Option(help: "A label, key=value (repeatable).") var label: [String] = []

        func run() async throws {
            let body = LogicalSwitchCreate(tenant: tenant, project: project, name: name, cidr: cidr, gateway: gateway,
                                           cidr6: cidr6, gateway6: gateway6, mtu: mtu, labels: try LabelParser.parse(label))
            Console.out(try await global.session().create(.logicalSwitch(body), as: LogicalSwitch.self))
        }
    }
}
