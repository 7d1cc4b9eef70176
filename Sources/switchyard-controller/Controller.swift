import API
import ArgumentParser
import Hummingbird
import Logging
import Store

@main
struct Controller: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchyard-controller",
        abstract: "The Switchyard SDN controller.",
        subcommands: [Init.self, Serve.self]
    )
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the data directory and its store; print the admin token, once, alone on standard output.")

    @Option(help: "Directory for the SQLite store.")
    var dataDir: String

    func run() throws {
        print(try Store.initialize(dataDirectory: dataDir))
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the REST API.")

    @Option(help: "Directory holding the store created by `init`.")
    var dataDir: String

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen: String = "127.0.0.1:8080"

    func run() async throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            throw ValidationError("--listen must be HOST:PORT")
        }
        var logger = Logger(label: "switchyard-controller")
        logger.logLevel = .info
        let store = try Store(dataDirectory: dataDir)
        let app = Application(
            router: APIRouter.make(store: store),
            configuration: .init(address: .hostname(String(listen[..<colon]), port: port), serverName: "switchyard"),
            logger: logger
        )
        try await app.runService()
    }
}
