import ArgumentParser
import SyctlKit

/// `syctl apply -f FILE.yaml`.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create or update the objects of a YAML manifest, in file order.",
        discussion: "The whole file is validated before anything is sent. See schemas/manifest.md for the format."
    )

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "The manifest ('-' for standard input).") var file: String

    func run() async throws {
        let entries = try ManifestParser.parse(file: file)
        try await global.session().apply(entries) { Console.out($0) }
    }
}
