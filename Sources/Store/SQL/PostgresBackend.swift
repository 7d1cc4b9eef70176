import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The store in PostgreSQL, for several controllers sharing one database.
///
/// The store's operations are synchronous closures; they run on a small pool of threads of their
/// own, each statement waiting for its answer there, never on the tasks' cooperative threads.
/// A write transaction first locks the revision counter row (`meta`): writers of every controller
/// take turns there, so revisions are gap-free and commit in revision order, as SQLite's single
/// writer gives them. Reads run in REPEATABLE READ, one committed state throughout.
public final class PostgresBackend: StoreBackend {
    private let configuration: PostgresConnection.Configuration
    private let idle = Mutex<(connections: [PostgresConnection], closed: Bool)>(([], false))
    private let logger = Logger(label: "switchyard.store.postgres")
    private let nextID = Atomic<Int>(0)

    /// Connects to `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`) and brings its schema to
    /// the current version.
    public init(url: String) async throws {
        configuration = try Self.configuration(from: url)
        try await onThread {
            let connection = try self.connection()
            do {
                try PostgresMigrations.migrate(connection, logger: self.logger)
                self.release(connection)
            } catch {
                Self.dispose(connection)
                throw error
            }
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN", lock: "SELECT revision FROM meta FOR UPDATE", body)
    }

    deinit {
        close()
    }

    /// Closes the idle connections, and each busy one when its transaction ends.
    public func close() {
        let connections = idle.withLock { idle in
            idle.closed = true
            defer { idle.connections.removeAll() }
            return idle.connections
        }
        for connection in connections { Self.dispose(connection) }
    }

    private func transaction<T: Sendable>(begin: String, lock: String? = nil,
                                          _ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await onThread {
            let connection = try self.connection()
            let session = PostgresSession(connection: connection, logger: self.logger)
            do {
                try session.execute(sql: begin, arguments: [], reuse: true)
                if let lock { _ = try session.rows(sql: lock, arguments: [], reuse: true) }
                let value = try body(session)
                try session.execute(sql: "COMMIT", arguments: [], reuse: true)
                self.release(connection)
                return value
            } catch {
                // A connection that cannot even roll back is dropped; the next use opens another.
                if (try? session.execute(sql: "ROLLBACK", arguments: [], reuse: true)) != nil {
                    self.release(connection)
                } else {
                    Self.dispose(connection)
                }
                throw error
            }
        }
    }

    private func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await Self.threads.runIfActive(body)
    }

    /// The threads every PostgreSQL store of the process waits on, one per transaction in flight.
    private static let threads: NIOThreadPool = {
        let threads = NIOThreadPool(numberOfThreads: 8)
        threads.start()
        return threads
    }()

    /// An idle connection, or a new one.
    private func connection() throws -> PostgresConnection {
        while let kept = idle.withLock({ $0.connections.popLast() }) {
            if !kept.isClosed { return kept }
        }
        let id = nextID.add(1, ordering: .relaxed).newValue
        return try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                              id: id, logger: logger).wait()
    }

    private func release(_ connection: PostgresConnection) {
        guard !connection.isClosed else { return }
        let kept = idle.withLock { idle in
            if !idle.closed { idle.connections.append(connection) }
            return !idle.closed
        }
        if !kept { Self.dispose(connection) }
    }

    /// Closes `connection`, keeping it alive until it is closed.
    public static func dispose(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// Whether `location` names a PostgreSQL database rather than a data directory.
    public static func isURL(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }

    /// `url` without its password, for messages.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "…"
        return components.string ?? url
    }

    static func configuration(from url: String) throws -> PostgresConnection.Configuration {
        guard let components = URLComponents(string: url), components.scheme == "postgres" || components.scheme == "postgresql",
              let host = components.host, !host.isEmpty, let user = components.user, !user.isEmpty else {
            throw StoreError.invalidURL(redacted(url))
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? nil : database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }
}
