import API
import ArgumentParser
import Controller
import Foundation
import Hummingbird
import Logging
import PKI
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
    static let configuration = CommandConfiguration(abstract: "Serve the REST API and the agents' TLS listener.")

    @Option(help: "Directory holding the store created by `init`.")
    var dataDir: String

    @Option(help: "Address of the REST API, HOST:PORT.")
    var listen: String = "127.0.0.1:8080"

    @Option(help: "Address of the agents' mutual-TLS listener, HOST:PORT.")
    var southbound: String = "127.0.0.1:7443"

    @Option(help: "Name or address agents dial to reach the southbound listener (in join strings and the server certificate); defaults to its host.")
    var advertise: String?

    @Option(help: "Seconds without a message from an edge host's agent after which its router uplinks move to another edge host.")
    var edgeLostAfterSeconds: Double = 6

    func run() async throws {
        let (apiHost, apiPort) = try Self.split(listen, option: "--listen")
        let (southboundHost, southboundPort) = try Self.split(southbound, option: "--southbound")
        guard edgeLostAfterSeconds > 0 else { throw ValidationError("--edge-lost-after-seconds must be positive") }
        let advertised = advertise ?? southboundHost
        var logger = Logger(label: "switchyard-controller")
        logger.logLevel = .info

        let store = try Store(dataDirectory: dataDir)
        let authority = try CertificateAuthority.loadOrCreate(directory: (dataDir as NSString).appendingPathComponent("pki"))
        let (hub, feed) = try await ChangeFeedLoop.start(store: store)
        let server = try await SouthboundServer.start(store: store, hub: hub, authority: authority, host: southboundHost,
                                                      port: southboundPort, serverNames: [advertised], logger: logger)
        let southbound = ControllerSouthbound(hub: hub, server: server, authority: authority, advertisedHost: advertised,
                                              advertisedPort: server.port)
        let app = Application(
            router: APIRouter.make(store: store, southbound: southbound),
            configuration: .init(address: .hostname(apiHost, port: apiPort), serverName: "switchyard"),
            logger: logger
        )
        logger.info("southbound listening", metadata: ["address": "\(southboundHost):\(server.port)"])
        // The API decides when to stop (SIGTERM, SIGINT); the listener and the feed stop with it.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            group.addTask { try await feed.run() }
            group.addTask { try await EdgeWatch(hub: hub, store: store, lostAfter: edgeLostAfterSeconds).run() }
            try await app.runService()
            group.cancelAll()
            await server.close()
        }
    }

    static func split(_ address: String, option: String) throws -> (String, Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw ValidationError("\(option) must be HOST:PORT")
        }
        return (String(address[..<colon]), port)
    }
}
