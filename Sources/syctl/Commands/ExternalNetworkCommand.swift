import ArgumentParser
import Northbound
import SyctlKit

/// `syctl external-network create`.
struct ExternalNetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "external-network", abstract: "Create external networks (admin).", subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an external network.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The external network's name.") var name: String
        @Option(help: "The IPv4 subnet, like 203.0.113.0/24.") var cidr: String
        @Option(help: "The gateway (default: the first host address).") var gateway: String?
        @Option(help: "The first address of the pool for uplinks and floating IPs.") var poolStart: String?
        @Option(help: "The last address of the pool.") var poolEnd: String?
        @Option(help: "A resolver of the network, to which hosts forward names outside switchyard.internal (repeatable, at most 3).")
        var dnsServer: [String] = []
        @Option(help: "A label, key=value (repeatable).") var label: [String] = []

        func run() async throws {
            let body = ExternalNetworkCreate(name: name, cidr: cidr, gateway: gateway, poolStart: poolStart, poolEnd: poolEnd,
                                             dnsServers: dnsServer.isEmpty ? nil : dnsServer, labels: try LabelParser.parse(label))
            Console.out(try await global.session().create(.externalNetwork(body), as: ExternalNetwork.self))
        }
    }
}
