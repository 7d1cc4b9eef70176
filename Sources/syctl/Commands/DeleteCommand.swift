import ArgumentParser
import SyctlKit

/// `syctl delete <kind> <name>` and `syctl delete -f FILE.yaml`.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete one object, or every object of a manifest (in reverse order, skipping those already gone).",
        discussion: "Deleting a router detaches its interfaces first; its routes go with it."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The kind, like switch.", transform: ResourceKind.parseArgument) var kind: ResourceKind?
    @Argument(help: "The name or id (a floating IP's address).") var name: String?
    @Option(help: "The tenant (name or id) the name is looked up in.") var tenant: String?
    @Option(name: .customLong("switch"), help: "Ports: the switch (name or id) the name is looked up on.") var logicalSwitch: String?
    @Option(name: .shortAndLong, help: "A manifest whose objects to delete ('-' for standard input).") var file: String?

    func validate() throws {
        switch (file, kind, name) {
        case (nil, .some, .some), (.some, nil, nil): break
        case (.some, _, _): throw ValidationError("give either -f FILE or a kind and a name, not both")
        default: throw ValidationError("give a kind and a name, like 'delete switch frontend', or -f FILE")
        }
    }

    func run() async throws {
        let session = try global.session()
        if let file {
            let entries = try ManifestParser.parse(file: file)
            try await session.delete(entries) { Console.out($0) }
        } else if let kind, let name {
            Console.out(try await session.delete(ObjectKey(kind: kind, name: name, tenant: tenant, logicalSwitch: logicalSwitch)))
        }
    }
}
