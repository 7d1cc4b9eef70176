import ArgumentParser
import SyctlKit

/// `syctl revision`.
struct RevisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revision", abstract: "Print the controller's current revision.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        Console.out(try await global.session().revision())
    }
}
