import ArgumentParser
import SyctlKit

/// `syctl get <kind> [name]`.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "List objects of a kind, or show one by name.",
        discussion: "Kinds: \(ResourceKind.allCases.map(\.plural).joined(separator: ", ")) (singular forms work too). "
            + "`syctl get endpoints SERVICE` lists a service's endpoints. `--watch` prints every change of a kind as it commits."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The kind, like switches or switch, or endpoints.") var kind: String
    @Argument(help: "A name or id (a floating IP's address) to show just that object.") var name: String?
    @Option(help: "Only objects of this tenant (name or id).") var tenant: String?
    @Option(name: .customLong("switch"), help: "Ports: only those on this switch (name or id).") var logicalSwitch: String?
    @Option(help: "Only objects with this label, key=value (repeatable).") var label: [String] = []
    @Flag(help: "Print every change of the kind as it commits, until interrupted (reconnects on its own).") var watch = false
    @Option(help: "With --watch: the changes after this revision (default: from now).") var since: Int64?

    func validate() throws {
        if watch, name != nil || tenant != nil || logicalSwitch != nil || !label.isEmpty || Self.isEndpoints(kind) {
            throw ValidationError("--watch follows a whole kind, as far as the token sees it: no name, --tenant, --switch or --label")
        }
        if since != nil, !watch { throw ValidationError("--since goes with --watch") }
        if Self.isEndpoints(kind) {
            guard name != nil else { throw ValidationError("name the service: syctl get endpoints SERVICE") }
        } else {
            _ = try ResourceKind.parseArgument(kind)
        }
    }

    func run() async throws {
        if watch {
            try await ResourceWatch(configuration: try global.configuration(), format: global.output)
                .run(try ResourceKind.parseArgument(kind), since: since, out: Console.out, note: Console.error)
            return
        }
        let session = try global.session()
        if Self.isEndpoints(kind), let name {
            Console.out(try await session.endpoints(service: name, tenant: tenant))
            return
        }
        let output = try await session.get(try ResourceKind.parseArgument(kind), name: name, tenant: tenant, switch: logicalSwitch,
                                           labels: try LabelParser.parse(label) ?? [:])
        Console.out(output)
    }

    private static func isEndpoints(_ word: String) -> Bool { ["endpoints", "endpoint"].contains(word.lowercased()) }
}

extension ResourceKind {
    /// Parses a kind argument, listing the kinds when it is not one.
    static func parseArgument(_ argument: String) throws -> ResourceKind {
        guard let kind = ResourceKind(argument: argument) else {
            throw ValidationError("unknown kind '\(argument)'; kinds are \(allCases.map(\.plural).joined(separator: ", "))")
        }
        return kind
    }
}
