import Agent
import ArgumentParser
import Foundation
import LinuxKernel
import LocalAPI
import Logging
import MetricsExposition
import PKI

@main
struct SwitchyardAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard-agent",
        abstract: "The Switchyard host agent: realizes the controller's state for this host.",
        subcommands: [Run.self, Port.self]
    )
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enroll when needed, then keep a session with the controller until stopped.")

    @Option(help: "Directory for the key, certificates, controller address and applied state.")
    var stateDir: String = AgentStateDirectory.defaultPath

    @Option(help: "Join string from the operator, <controller:port>[,<controller:port>…]/<token secret>/sha256:<CA fingerprint>; needed only to enroll.")
    var join: String?

    @Option(help: "Controller addresses HOST:PORT[,HOST:PORT…], tried in turn; stored for later starts. Defaults to the stored ones, or the join string's; the controllers keep the stored list up to date.")
    var controller: String?

    @Flag(help: "Speak the real protocol and ack every state without touching the kernel.")
    var simulate = false

    @Option(help: "The local API socket (root only) through which ports are attached to workloads.")
    var socket: String = LocalAPIClient.defaultSocketPath

    @Option(help: ArgumentHelp("Serve Docker's remote network and IPAM driver on this socket (root only).",
                               discussion: "dockerd finds /run/docker/plugins/NAME.sock as the driver NAME: --docker-plugin /run/docker/plugins/switchyard.sock"))
    var dockerPlugin: String?

    @Flag(help: "Run services' script and container health checks (programs an admin names, run as nobody). Off unless given.")
    var enableScriptChecks = false

    @Option(help: "Seconds between resyncs that repair drift in the kernel.")
    var resyncSeconds: Double = 10

    @Flag(help: "Log each resync pass and its duration.")
    var verbose = false

    @Option(help: "Seconds between heartbeats on an idle session.")
    var heartbeatSeconds: Double = 2

    @Option(help: "Prefix of the network namespaces of this host's routers (one agent per prefix).")
    var routerNamespacePrefix: String = RoutingDomain.defaultNamespacePrefix

    @Option(help: "The link router uplinks attach to on an edge host; defaults to the link holding the underlay address.")
    var externalLink: String?

    @Option(help: "Serve Prometheus metrics on HOST:PORT at /metrics, plain HTTP without authentication: bind it to a management address. Off unless given.")
    var metrics: String?

    func validate() throws {
        if let metrics { _ = try Self.metricsAddress(metrics) }
        guard heartbeatSeconds > 0 else { throw ValidationError("--heartbeat-seconds must be positive") }
        guard resyncSeconds > 0 else { throw ValidationError("--resync-seconds must be positive") }
        guard !routerNamespacePrefix.isEmpty, routerNamespacePrefix.count <= 64,
              routerNamespacePrefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw ValidationError("--router-namespace-prefix must be 1 to 64 of [A-Za-z0-9_-]")
        }
    }

    /// The host and port of `--metrics`.
    static func metricsAddress(_ value: String) throws -> (host: String, port: Int) {
        guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]), (1...65_535).contains(port),
              colon > value.startIndex else {
            throw ValidationError("--metrics must be HOST:PORT with a port from 1 to 65535")
        }
        return (String(value[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port)
    }

    func run() async throws {
        if let metrics {
            do {
                let (host, port) = try Self.metricsAddress(metrics)
                try await MetricsHTTPServer.start(host: host, port: port, exposition: PrometheusExposition.bootstrap())
            } catch {
                printError("switchyard-agent: cannot serve metrics on \(metrics): \(error)")
                throw ExitCode.failure
            }
        }
        var configuration: AgentConfiguration
        do {
            configuration = AgentConfiguration(
                stateDirectory: AgentStateDirectory(path: stateDir),
                join: try join.map { try JoinString(parsing: $0) },
                controllers: try controller.map { try ControllerAddress.list(parsing: $0) } ?? [],
                heartbeatInterval: .seconds(heartbeatSeconds)
            )
        } catch {
            throw ValidationError("\(error)")
        }
        var logger = Logger(label: "switchyard-agent")
        logger.logLevel = verbose ? .debug : .info
        do {
            if simulate {
                try await HostAgent(configuration: configuration, realizer: SimulatedRealizer(), logger: logger).run()
                return
            }
            // The kernel dataplane: adopt what a previous run realized, then follow the controller.
            let kernel = LinuxKernel()
            let domain = await RoutingDomain.detect(in: kernel)
            configuration.routingDomain = domain.rawValue
            logger.info("routing domains", metadata: ["kernel offers": "\(domain)", "routers run in": "namespaces"])
            let requests = ControllerRequests()
            let dataplane = try await KernelDataplane.start(kernel: kernel, stateDirectory: stateDir, socketPath: socket,
                                                            dockerPlugin: dockerPlugin,
                                                            resyncInterval: .seconds(resyncSeconds),
                                                            routers: RouterOptions(namespacePrefix: routerNamespacePrefix,
                                                                                   externalLink: externalLink),
                                                            requests: requests, scriptChecks: enableScriptChecks, logger: logger)
            let previous = try configuration.stateDirectory.loadAppliedState()
            let sessionLogger = logger
            let sessionConfiguration = configuration
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await dataplane.run(adopting: previous) }
                group.addTask {
                    try await HostAgent(configuration: sessionConfiguration, realizer: dataplane.realizer, requests: requests,
                                        logger: sessionLogger).run()
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            printError("switchyard-agent: \(error)")
            throw ExitCode.failure
        }
    }

    private func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

struct Port: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Attach, detach or check a port through the local API of the agent on this host.",
        subcommands: [Attach.self, Detach.self, Check.self])

    struct Attach: AsyncParsableCommand {
        @Option(help: "The local API socket.") var socket: String = LocalAPIClient.defaultSocketPath
        @Option(help: "The port id.") var port: String
        @Option(help: "The workload's network namespace, by name under /run/netns.") var namespace: String
        @Option(help: "The interface name inside the namespace.") var interface: String = "eth0"

        func run() async throws {
            try LocalAPIClient(socketPath: socket).send(LocalAPIRequest(op: .attach, port: port, namespace: namespace, interfaceName: interface))
        }
    }

    struct Detach: AsyncParsableCommand {
        @Option(help: "The local API socket.") var socket: String = LocalAPIClient.defaultSocketPath
        @Option(help: "The port id.") var port: String

        func run() async throws {
            try LocalAPIClient(socketPath: socket).send(LocalAPIRequest(op: .detach, port: port))
        }
    }

    struct Check: AsyncParsableCommand {
        @Option(help: "The local API socket.") var socket: String = LocalAPIClient.defaultSocketPath
        @Option(help: "The port id.") var port: String

        func run() async throws {
            try LocalAPIClient(socketPath: socket).send(LocalAPIRequest(op: .check, port: port))
        }
    }
}
