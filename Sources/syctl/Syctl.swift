import ArgumentParser
import SyctlKit

/// `syctl`, the operator CLI over the Switchyard controller's REST API.
@main
struct Syctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syctl",
        abstract: "Operate a Switchyard controller: tenants, switches, ports, routers and more.",
        discussion: """
            Every command takes --url (or SWITCHYARD_URL), --token (or SWITCHYARD_TOKEN) and -o table|json.
            References such as --tenant or --switch take a name or an id.
            """,
        subcommands: [
            TenantCommand.self, ProjectCommand.self, ClusterCommand.self, SwitchCommand.self, AuditCommand.self, TraceCommand.self, ExplainCommand.self, PortCommand.self, RouterCommand.self,
            ExternalNetworkCommand.self, FloatingIPCommand.self, HostCommand.self, ServiceCommand.self,
            GetCommand.self, DeleteCommand.self, ApplyCommand.self, RevisionCommand.self,
        ]
    )

    /// Runs the command; a failure syctl or the controller reports prints `error: …` on stderr and exits 1.
    /// Usage errors keep ArgumentParser's own report and exit status.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as any UserFacingError {
            Console.error("error: \(failure)")
            exit(withError: ExitCode.failure)
        } catch {
            exit(withError: error)
        }
    }
}
