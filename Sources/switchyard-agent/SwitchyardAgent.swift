import Agent
import ArgumentParser
import Foundation
import Logging
import PKI

@main
struct SwitchyardAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard-agent",
        abstract: "The Switchyard host agent: realizes the controller's state for this host.",
        subcommands: [Run.self]
    )
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enroll when needed, then keep a session with the controller until stopped.")

    @Option(help: "Directory for the key, certificates, controller address and applied state.")
    var stateDir: String = AgentStateDirectory.defaultPath

    @Option(help: "Join string from the operator, <controller:port>/<token secret>/sha256:<CA fingerprint>; needed only to enroll.")
    var join: String?

    @Option(help: "Controller address HOST:PORT; stored for later starts. Defaults to the stored one, or the join string's.")
    var controller: String?

    @Flag(help: "Speak the real protocol and ack every state without touching the kernel.")
    var simulate = false

    @Option(help: "Seconds between heartbeats on an idle session.")
    var heartbeatSeconds: Double = 5

    func validate() throws {
        guard heartbeatSeconds > 0 else { throw ValidationError("--heartbeat-seconds must be positive") }
    }

    func run() async throws {
        guard simulate else {
            printError("switchyard-agent: the kernel dataplane is not available yet in this build; run with --simulate")
            throw ExitCode(2)
        }
        let configuration: AgentConfiguration
        do {
            configuration = AgentConfiguration(
                stateDirectory: AgentStateDirectory(path: stateDir),
                join: try join.map { try JoinString(parsing: $0) },
                controller: try controller.map { try ControllerAddress(parsing: $0) },
                heartbeatInterval: .seconds(heartbeatSeconds)
            )
        } catch {
            throw ValidationError("\(error)")
        }
        var logger = Logger(label: "switchyard-agent")
        logger.logLevel = .info
        do {
            try await HostAgent(configuration: configuration, realizer: SimulatedRealizer(), logger: logger).run()
        } catch {
            printError("switchyard-agent: \(error)")
            throw ExitCode.failure
        }
    }

    private func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
