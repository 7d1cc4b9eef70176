import ArgumentParser
import Foundation
import SyctlKit

/// The options every command takes: where the controller is, the token, and the output format.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The controller's base URL (default: $SWITCHYARD_URL, else \(ClientConfiguration.defaultURL)).")
    var url: String?

    @Option(help: "The bearer token (default: $SWITCHYARD_TOKEN).")
    var token: String?

    @Option(name: .shortAndLong, help: "Output format: table or json.")
    var output: OutputFormat = .table

    func session() throws -> ControllerSession {
        ControllerSession(configuration: try configuration(), format: output)
    }

    func configuration() throws -> ClientConfiguration {
        try ClientConfiguration(url: url, token: token, environment: ProcessInfo.processInfo.environment)
    }
}

extension OutputFormat: ExpressibleByArgument {}
