import API
import ArgumentParser
import Controller
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import MetricsExposition
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

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the store (SQLite in the data directory, or in a PostgreSQL database); print the admin token, once, alone on standard output.")

    @Option(help: "Directory for the SQLite store.")
    var dataDir: String?

    @Option(help: "PostgreSQL database for a store several controllers share, postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.")
    var store: String?

    func validate() throws {
        guard (dataDir == nil) != (store == nil) else { throw ValidationError("give --data-dir or --store, not both") }
        if let store, !PostgresBackend.isURL(store) { throw ValidationError("--store takes a postgres:// URL") }
    }

    func run() async throws {
        if let store {
            print(try await Store.initialize(postgres: store))
        } else if let dataDir {
            print(try Store.initialize(dataDirectory: dataDir))
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the REST API and the agents' TLS listener.")

    @Option(help: "Directory holding the store created by `init` and the controller's CA.")
    var dataDir: String

    @Option(help: "PostgreSQL database holding the store (created by `init --store`) instead of the data directory's SQLite.")
    var store: String?

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

    @Option(help: "Seconds a REST connection may go without delivering a whole request (idle, or sending one slowly) before it is closed.")
    var apiIdleTimeoutSeconds: Int = 30

    @Option(help: "REST connections open at once; more are closed as they arrive.")
    var apiMaxConnections: Int = 4_096

    /// Every number an operator gives is checked against its range before anything uses it.
    func validate() throws {
        guard edgeLostAfterSeconds.isFinite, edgeLostAfterSeconds > 0, edgeLostAfterSeconds <= 3_600 else {
            throw ValidationError("--edge-lost-after-seconds must be more than 0 and at most 3600")
        }
        try Self.require(hostCertificateSeconds, in: 10...(10 * 365 * 86_400), "--host-certificate-seconds")
        try Self.require(apiIdleTimeoutSeconds, in: 1...3_600, "--api-idle-timeout-seconds")
        try Self.require(apiMaxConnections, in: 1...1_000_000, "--api-max-connections")
        try Self.require(maxPendingPerSource, in: 1...100_000, "--max-pending-per-source")
        try Self.require(maxHostEntries, in: 1...10_000_000, "--max-host-entries")
        try Self.require(historyRevisions, in: 0...10_000_000, "--history-revisions")
        if let store, !PostgresBackend.isURL(store) { throw ValidationError("--store takes a postgres:// URL") }
    }

    static func require(_ value: Int, in range: ClosedRange<Int>, _ option: String) throws {
        guard range.contains(value) else { throw ValidationError("\(option) must be from \(range.lowerBound) to \(range.upperBound)") }
    }

    func run() async throws {
        let exposition = PrometheusExposition.bootstrap()
        let (apiHost, apiPort) = try Self.split(listen, option: "--listen")
        let (southboundHost, southboundPort) = try Self.split(southbound, option: "--southbound")
        let apiServer = try apiServerBuilder()
        let advertised = advertise ?? southboundHost
        let logger = {
            var logger = Logger(label: "switchyard-controller")
            logger.logLevel = .info
            return logger
        }()
        FileDescriptorLimit.raiseToMaximum(logger: logger)

        let store = try await Store.open(self.store ?? dataDir)
        let authority = try CertificateAuthority.loadOrCreate(directory: (dataDir as NSString).appendingPathComponent("pki"))
        // Every controller of a shared store serves with one CA, else agents moving between them fail TLS.
        let fingerprint = try authority.fingerprint.description
        let storeAuthority = store.isShared ? try await store.claimAuthority(fingerprint) : fingerprint
        guard storeAuthority == fingerprint else {
            throw ValidationError("the CA in \(dataDir)/pki (\(fingerprint)) is not the one the other controllers of this store "
                                  + "serve with (\(storeAuthority)): copy pki/ from one of them before starting this one")
        }
        let (hub, feed) = try await ChangeFeedLoop.start(store: store, maximumHostEntries: maxHostEntries)
        let server = try await SouthboundServer.start(
            store: store, hub: hub, authority: authority, host: southboundHost, port: southboundPort, serverNames: [advertised],
            certificateValidity: TimeInterval(hostCertificateSeconds),
            admission: AdmissionLimits(maximumPendingPerSource: maxPendingPerSource), logger: logger)
        let southbound = ControllerSouthbound(hub: hub, server: server, authority: authority, advertisedHost: advertised,
                                              advertisedPort: server.port)
        logger.info("southbound listening", metadata: ["address": "\(southboundHost):\(server.port)"])
        let gauges = ControllerMetrics(store: store, hub: hub)
        // Whatever ends first ends the controller: the API when it is told to stop (SIGTERM,
        // SIGINT), a background task only by failing, which must not go unnoticed.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await Application(
                    router: APIRouter.make(store: store, southbound: southbound, metrics: {
                        await gauges.refresh()
                        return exposition.text()
                    }),
                    server: apiServer,
                    configuration: .init(address: .hostname(apiHost, port: apiPort), serverName: "switchyard"),
                    logger: logger
                ).runService()
            }
            group.addTask { try await server.run() }
            if store.isShared {
                group.addTask { try await server.followEnrollments() }
                group.addTask { try await server.presence.run() }
                group.addTask { try await HostStatusSharing(hub: hub, store: store, controller: server.presence.own).run() }
            }
            group.addTask { try await feed.run() }
            group.addTask {
                try await EdgeWatch(hub: hub, store: store, lostAfter: edgeLostAfterSeconds, controller: "\(advertised):\(server.port)").run()
            }
            group.addTask {
                try await HistoryPruner(store: store, hub: hub, retainedRevisions: Int64(historyRevisions), logger: logger).run()
            }
            defer { group.cancelAll() }
            do {
                try await group.next()
            } catch {
                logger.critical("stopping: a part of the controller failed", metadata: ["reason": "\(error)"])
                await server.close()
                throw error
            }
            await server.close()
        }
    }

    /// HTTP/1.1 with a request deadline and a connection cap, over TLS when a certificate and key are given.
    func apiServerBuilder() throws -> HTTPServerBuilder {
        let http = APIListener.http1(requestTimeout: .seconds(Int64(apiIdleTimeoutSeconds)), maximumConnections: apiMaxConnections)
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
