import ArgumentParser
import Northbound
import SyctlKit

/// `syctl host create`.
struct HostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Register hypervisor hosts (admin).", subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a host.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The host's name.") var name: String
        @Option(help: "The underlay (VTEP) IPv4 address.") var address: String
        @Option(help: "compute or edge (default: compute).") var role: HostRole?
        @Option(help: "A label, key=value (repeatable).") var label: [String] = []

        func run() async throws {
            let body = HostCreate(name: name, address: address, role: role, labels: try LabelParser.parse(label))
            Console.out(try await global.session().create(.host(body), as: Host.self))
        }
    }
}

extension HostRole: ExpressibleByArgument {}
