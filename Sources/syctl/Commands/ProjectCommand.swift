import ArgumentParser
import Northbound
import SyctlKit

/// `syctl project create`.
struct ProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project", abstract: "Create projects inside tenants.", subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a project.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The project's name.") var name: String
        @Option(help: "The tenant (name or id); a tenant token implies its own.") var tenant: String?
        @Option(help: "A label, key=value (repeatable).") var label: [String] = []

        func run() async throws {
            let body = ProjectCreate(tenant: tenant, name: name, labels: try LabelParser.parse(label))
            Console.out(try await global.session().create(.project(body), as: Project.self))
        }
    }
}
