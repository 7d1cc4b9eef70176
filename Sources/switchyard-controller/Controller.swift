import API
import ArgumentParser
import Controller
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import PKI
import SessionTransport
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

    @Option(help: "Seconds a host certificate is valid; agents renew theirs over the session at two thirds of it.")
    var hostCertificateSeconds: Int = Int(CertificateAuthority.defaultLeafValidity)

    @Option(help: "PEM certificate (chain) of the REST API's TLS listener; with --tls-key, the API speaks HTTPS only.")
    var tlsCert: String?

    @Option(help: "PEM private key of the REST API's TLS listener.")
    var tlsKey: String?

    @Option(help: "Connections the agents' listener holds before their peers are identified, per source address.")
    var maxPendingPerSource: Int = AdmissionLimits().maximumPendingPerSource

    @Option(help: "The most entries (ports, remote ports, routes, ...) one host's state may hold; the API refuses what would add more.")
    var maxHostEntries: Int = SouthboundHub.defaultMaximumHostEntries

    @Option(help: "Revisions of change history (tombstones of deletes) kept; older ones are pruned every 5 s.")
    var historyRevisions: Int = 10_000

    @Option(help: "Seconds a REST connection may stay idle, or take to send a request, before it is closed.")
    var apiIdleTimeoutSeconds: Int = 30

    func run() async throws {
        let (apiHost, apiPort) = try Self.split(listen, option: "--listen")
        let (southboundHost, southboundPort) = try Self.split(southbound, option: "--southbound")
        guard edgeLostAfterSeconds > 0 else { throw ValidationError("--edge-lost-after-seconds must be positive") }
        guard hostCertificateSeconds >= 10 else { throw ValidationError("--host-certificate-seconds must be at least 10") }
        guard apiIdleTimeoutSeconds > 0 else { throw ValidationError("--api-idle-timeout-seconds must be positive") }
        guard maxPendingPerSource > 0 else { throw ValidationError("--max-pending-per-source must be positive") }
        guard maxHostEntries > 0 else { throw ValidationError("--max-host-entries must be positive") }
        guard historyRevisions >= 0 else { throw ValidationError("--history-revisions must not be negative") }
        let apiServer = try apiServerBuilder()
        let advertised = advertise ?? southboundHost
        var logger = Logger(label: "switchyard-controller")
        logger.logLevel = .info
        FileDescriptorLimit.raiseToMaximum(logger: logger)

        let store = try Store(dataDirectory: dataDir)
        let authority = try CertificateAuthority.loadOrCreate(directory: (dataDir as NSString).appendingPathComponent("pki"))
        let (hub, feed) = try await ChangeFeedLoop.start(store: store, maximumHostEntries: maxHostEntries)
        let server = try await SouthboundServer.start(
            store: store, hub: hub, authority: authority, host: southboundHost, port: southboundPort, serverNames: [advertised],
            certificateValidity: TimeInterval(hostCertificateSeconds),
            admission: AdmissionLimits(maximumPendingPerSource: maxPendingPerSource), logger: logger)
        let southbound = ControllerSouthbound(hub: hub, server: server, authority: authority, advertisedHost: advertised,
                                              advertisedPort: server.port)
        let app = Application(
            router: APIRouter.make(store: store, southbound: southbound),
            server: apiServer,
            configuration: .init(address: .hostname(apiHost, port: apiPort), serverName: "switchyard"),
            logger: logger
        )
        logger.info("southbound listening", metadata: ["address": "\(southboundHost):\(server.port)"])
        // The API decides when to stop (SIGTERM, SIGINT); the listener and the feed stop with it.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            group.addTask { try await feed.run() }
            group.addTask { try await EdgeWatch(hub: hub, store: store, lostAfter: edgeLostAfterSeconds).run() }
            group.addTask { try await HistoryPruner(store: store, hub: hub, retainedRevisions: Int64(historyRevisions)).run() }
            try await app.runService()
            group.cancelAll()
            await server.close()
        }
    }

    /// HTTP/1.1 with an idle timeout, over TLS when a certificate and key are given.
    func apiServerBuilder() throws -> HTTPServerBuilder {
        let http = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(Int64(apiIdleTimeoutSeconds))))
        switch (tlsCert, tlsKey) {
        case (nil, nil):
            return http
        case (let cert?, let key?):
            let chain = try NIOSSLCertificate.fromPEMFile(cert).map { NIOSSLCertificateSource.certificate($0) }
            var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .file(key))
            tls.minimumTLSVersion = .tlsv12
            return try .tls(http, tlsConfiguration: tls)
        default:
            throw ValidationError("--tls-cert and --tls-key go together")
        }
    }

    static func split(_ address: String, option: String) throws -> (String, Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw ValidationError("\(option) must be HOST:PORT")
        }
        return (String(address[..<colon]), port)
    }
}
