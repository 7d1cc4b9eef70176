import ArgumentParser
import Northbound
import SyctlKit

/// `syctl router create|attach|route`.
struct RouterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "router", abstract: "Create logical routers, attach them to switches, add static routes.",
        subcommands: [Create.self, Attach.self, Route.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a logical router.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The router's name.") var name: String
        @Option(help: "The tenant (name or id); a tenant token implies its own.") var tenant: String?
        @Option(help: "The project (name or id).") var project: String?
        @Option(help: "The external network (name or id) for the router's uplink.") var externalNetwork: String?
        @Flag(name: .customLong("no-snat"), help: "Do not source-NAT the router's subnets on the uplink.") var noSNAT = false
        @Option(help: "A label, key=value (repeatable).") var label: [String] = []

        func run() async throws {
            let body = RouterCreate(tenant: tenant, project: project, name: name, externalNetwork: externalNetwork,
                                    snat: noSNAT ? false : nil, labels: try LabelParser.parse(label))
            Console.out(try await global.session().create(.router(body, interfaces: [], routes: []), as: LogicalRouter.self))
        }
    }

    struct Attach: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Attach a router to a switch.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The router (name or id).") var router: String
        @Option(name: .customLong("switch"), help: "The switch (name or id), in the router's tenant.") var logicalSwitch: String
        @Option(help: "The interface address (default: the switch's gateway).") var ip: String?
        @Option(help: "The tenant (name or id) the router name is looked up in.") var tenant: String?

        func run() async throws {
            Console.out(try await global.session().attach(router: router, tenant: tenant, switch: logicalSwitch, ip: ip))
        }
    }

    struct Route: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a static route to a router.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The router (name or id).") var router: String
        @Option(help: "The destination prefix, like 10.99.0.0/16.") var destination: String
        @Option(help: "The next hop, on a subnet attached to the router.") var nexthop: String
        @Option(help: "The tenant (name or id) the router name is looked up in.") var tenant: String?

        func run() async throws {
            Console.out(try await global.session().addRoute(router: router, tenant: tenant, destination: destination, nexthop: nexthop))
        }
    }
}
