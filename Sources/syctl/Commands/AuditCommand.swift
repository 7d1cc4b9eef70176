import ArgumentParser
import SyctlKit

/// `syctl audit`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show who changed what: the audit trail the token may read, oldest first.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only changes to this collection (ports, switches, floating-ips, …).") var kind: String?
    @Option(help: "Only changes to the object with this id.") var object: String?
    @Option(help: "Only the last N entries.") var last: Int?

    func validate() throws {
        if let last, last < 1 { throw ValidationError("--last must be at least 1") }
    }

    func run() async throws {
        Console.out(try await global.session().audit(kind: kind, object: object, last: last))
    }
}
