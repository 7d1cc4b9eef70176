import ArgumentParser
import Northbound
import SyctlKit

/// `syctl service create`.
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Create load-balanced services.", subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a service: a VIP on a router whose ports spread connections over the ports a selector picks.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The service's name, unique in its tenant.") var name: String
        @Option(help: "The tenant (name or id); a tenant token implies its own.") var tenant: String?
        @Option(help: "The project (name or id).") var project: String?
        @Option(help: "The router (name or id) whose switches' workloads are its clients and endpoints.") var router: String
        @Option(help: "PORT[:TARGET-PORT][/tcp|udp], like 80:8080/tcp (repeatable).") var port: [String] = []
        @Option(help: "An endpoint label, key=value (repeatable): endpoints carry all of them.") var selector: [String] = []
        @Option(help: "Endpoints only from this project (name or id).") var selectProject: String?
        @Option(help: "Endpoints only from this cluster (name or id).") var selectCluster: String?
        @Option(help: "The VIP (default: the first free address of 10.96.0.0/16).") var vip: String?
        @Flag(help: "Also serve it to the external network at the router's edge, on an address of its pool.") var external = false
        @Option(help: "The external address wanted from the router's pool (implies --external).") var externalIp: String?
        @Flag(help: "No VIP and no balancing: the service's DNS name answers with its healthy endpoints' addresses.") var headless = false
        @Option(help: "random (default), round-robin or source-hash.") var algorithm: String?
        @Option(help: "A health check: tcp[:PORT], http[:PORT]/PATH, script or container.") var check: String?
        @Option(help: "The program of a script or container check, then its arguments (repeatable).") var checkCommand: [String] = []
        @Option(help: "Seconds between checks (default 5).") var checkInterval: Int?
        @Option(help: "Seconds a check may take (default 2).") var checkTimeout: Int?
        @Option(help: "Passes in a row that bring an endpoint back (default 2).") var checkRise: Int?
        @Option(help: "Failures in a row that take an endpoint out (default 3).") var checkFall: Int?
        @Option(help: "A label, key=value (repeatable).") var label: [String] = []

        func validate() throws {
            guard !port.isEmpty else { throw ValidationError("a service needs at least one --port") }
            if headless, vip != nil || external || externalIp != nil {
                throw ValidationError("a --headless service has no --vip and is not --external")
            }
            if let algorithm, ServiceAlgorithm(rawValue: algorithm) == nil {
                throw ValidationError("--algorithm is one of \(ServiceAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let selector = ServiceSelector(labels: try LabelParser.parse(self.selector), project: selectProject, cluster: selectCluster)
            var healthCheck = try check.map { try HealthCheckParser.parse($0, command: checkCommand) }
            healthCheck?.interval = checkInterval
            healthCheck?.timeout = checkTimeout
            healthCheck?.rise = checkRise
            healthCheck?.fall = checkFall
            let body = ServiceCreate(tenant: tenant, project: project, name: name, router: router, vip: vip,
                                     type: headless ? .headless : external || externalIp != nil ? .external : nil, externalIp: externalIp, ports: try port.map(ServicePortParser.parse), selector: selector,
                                     algorithm: algorithm.flatMap(ServiceAlgorithm.init(rawValue:)), healthCheck: healthCheck,
                                     labels: try LabelParser.parse(label))
            Console.out(try await global.session().create(.service(body), as: Service.self))
        }
    }
}
