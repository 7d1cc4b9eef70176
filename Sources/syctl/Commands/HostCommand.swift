import ArgumentParser
import Northbound
import SyctlKit

/// `syctl host create|enroll|revoke`.
struct HostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Register hypervisor hosts, enroll their agents and revoke them (admin).",
        subcommands: [Create.self, Enroll.self, Revoke.self]
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

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a one-time enrollment token for a host and print its join string (shown only once).",
            discussion: "Hand the join string to the host's agent. With -o json, prints the whole token, with its expiry."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The host (name or id).") var host: String
        @Option(help: "How long the token stays valid, in seconds: 60 to 2592000 (default: 86400, one day).") var ttl: Int?

        func run() async throws {
            Console.out(try await global.session().enrollHost(host, ttlSeconds: ttl))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a host's certificate: its agent is cut off until it enrolls again."
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The host (name or id).") var host: String

        func run() async throws {
            Console.out(try await global.session().revokeHost(host))
        }
    }
}

extension HostRole: ExpressibleByArgument {}
