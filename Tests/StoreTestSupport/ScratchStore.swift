import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Store

/// A fresh store for one test: SQLite in a temporary directory, or, when `SWITCHYARD_TEST_POSTGRES`
/// names a PostgreSQL server (`ops/store-contract` starts one), a new database there, dropped again
/// by ``remove()``. The store and API suites run once per backend this way: one suite, not two copies.
public struct ScratchStore: Sendable {
    public let store: Store
    public let adminToken: String
    /// The data directory or the database URL, for opening the same store again.
    public let location: String
    private let database: String?

    public static let postgresServer = ProcessInfo.processInfo.environment["SWITCHYARD_TEST_POSTGRES"]

    public static func make() async throws -> ScratchStore {
        guard let server = postgresServer else {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-store-\(UUID().uuidString)").path
            let token = try Store.initialize(dataDirectory: directory)
            return ScratchStore(store: try Store(dataDirectory: directory), adminToken: token, location: directory, database: nil)
        }
        let (url, _) = try await emptyDatabase()
        let database = String(url.split(separator: "/").last ?? "")
        let token = try await Store.initialize(postgres: url)
        return ScratchStore(store: try await Store.open(url), adminToken: token, location: url, database: database)
    }

    /// Runs `body` with a fresh store, removed afterwards whether `body` throws or not.
    public static func with<T>(_ body: (Store) async throws -> T) async throws -> T {
        let scratch = try await make()
        defer { scratch.remove() }
        return try await body(scratch.store)
    }

    /// Runs `body` with two stores on one fresh PostgreSQL database, as two controllers have them.
    public static func withTwo<T>(_ body: (ScratchStore, ScratchStore) async throws -> T) async throws -> T {
        let first = try await make()
        defer { first.remove() }
        let second = ScratchStore(store: try await Store.open(first.location), adminToken: first.adminToken, location: first.location,
                                  database: nil)
        defer { second.store.close() }
        return try await body(first, second)
    }

    /// A database on the server with no store in it yet, dropped by `drop()`.
    public static func emptyDatabase() async throws -> (url: String, drop: @Sendable () -> Void) {
        guard let server = postgresServer else { throw ScratchStoreError(server: "") }
        let database = "sy_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try administer(server, "CREATE DATABASE \(database)")
        return (try databaseURL(server, database), { try? administer(server, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)") })
    }

    /// Closes the store and removes its directory or database; synchronous, for `defer`.
    public func remove() {
        store.close()
        if let database, let server = Self.postgresServer {
            try? Self.administer(server, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        } else {
            try? FileManager.default.removeItem(atPath: location)
        }
    }

    private static func databaseURL(_ server: String, _ database: String) throws -> String {
        guard var components = URLComponents(string: server) else { throw ScratchStoreError(server: server) }
        components.path = "/" + database
        return components.string ?? server
    }

    /// Runs one statement outside any transaction (CREATE and DROP DATABASE need that), waiting on
    /// this thread (never an event loop's): `remove()` runs in `defer`.
    private static func administer(_ server: String, _ statement: String) throws {
        let connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: try configuration(server),
                                                        id: 0, logger: logger).wait()
        defer { PostgresBackend.dispose(connection) }
        _ = try connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).wait()
    }

    private static let logger = Logger(label: "scratch-store")

    private static func configuration(_ server: String) throws -> PostgresConnection.Configuration {
        guard let components = URLComponents(string: server), let host = components.host, let user = components.user else {
            throw ScratchStoreError(server: server)
        }
        return PostgresConnection.Configuration(host: host, port: components.port ?? 5432, username: user,
                                                password: components.password, database: "postgres", tls: .disable)
    }
}

struct ScratchStoreError: Error, CustomStringConvertible {
    let server: String
    var description: String { "SWITCHYARD_TEST_POSTGRES is not a postgres:// URL with a host and user: \(server)" }
}
