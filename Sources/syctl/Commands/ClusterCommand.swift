import ArgumentParser
import Northbound
import SyctlKit

/// `syctl cluster create`.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "Create clusters: groups of workloads and the hosts they run on.", subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a cluster.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The cluster's name, unique in its tenant.") var name: String
        @Option(help: "The tenant (name or id); a tenant token implies its own.") var tenant: String?
        @Option(help: "The project (name or id).") var project: String?
        @Option(name: [.short, .long], help: "kubernetes, swarm, vms or other (any case).") var kind: String
        @Option(help: "A host (name or id) its nodes run on (repeatable; admins only).") var host: [String] = []
        @Option(help: "A label, key=value (repeatable).") var label: [String] = []

        func run() async throws {
            guard let clusterKind = ClusterKind(rawValue: kind.lowercased()) else {
                throw ValidationError("--kind is one of \(ClusterKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let body = ClusterCreate(tenant: tenant, project: project, name: name, kind: clusterKind, hosts: host.isEmpty ? nil : host,
                                     labels: try LabelParser.parse(label))
            Console.out(try await global.session().create(.cluster(body), as: Cluster.self))
        }
    }
}
