import Foundation
import Logging
import Northbound
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
    public let kind = "postgres"
    private let servers: PostgresServers
    private let idle = Mutex<(connections: [PostgresConnection], closed: Bool)>(([], false))
    private let logger = Logger(label: "switchyard.store.postgres")
    /// The task listening for the other controllers' events, and its connection while it has one.
    private let listener = Mutex<(task: Task<Void, Never>?, connection: PostgresConnection?)>((nil, nil))

    /// The connection holding the leadership lock, while this process leads.
    private let leadership = Mutex<PostgresConnection?>(nil)
    /// The leadership lock's key: "sy" and "ld" in ASCII.
    static let leaderLockKey = 0x7379_6C64

    /// The channel every controller sharing the database listens on.
    static let channel = "switchyard"

    /// Connects to `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`, or several
    /// `HOST:PORT` separated by commas: ``PostgresServers``) and brings its schema to the current version.
    public init(url: String) async throws {
        servers = try PostgresServers(url: url)
        try await transaction(begin: "BEGIN", lock: "SELECT pg_advisory_xact_lock(\(PostgresMigrations.lockKey))",
                              PostgresMigrations.migrate)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN", lock: "SELECT revision FROM meta FOR UPDATE", body)
    }

    public func writeStatus<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN", body)
    }

    /// Leadership is a session-level advisory lock held on a connection of its own: the server
    /// lets go of it as soon as that connection ends, so when the leader dies (its socket closes)
    /// or loses the database, another controller takes it at its next try.
    public func holdsLeadership() async -> Bool {
        (try? await onThread {
            if let held = self.leadership.withLock({ $0 }), !held.isClosed,
               (try? PostgresSession(connection: held, logger: self.logger).rows(sql: "SELECT 1", arguments: [], reuse: true)) != nil {
                return true
            }
            self.leadership.withLock { held in
                if let connection = held { Self.dispose(connection) }
                held = nil
            }
            let connection = try self.connection()
            let session = PostgresSession(connection: connection, logger: self.logger)
            guard try session.value(Bool.self, sql: "SELECT pg_try_advisory_lock(\(Self.leaderLockKey))") == true else {
                self.release(connection)
                return false
            }
            self.leadership.withLock { $0 = connection }
            return true
        }) ?? false
    }

    public func announce(_ event: StoreEvent, in db: any SQLConnection) throws {
        let payload: String
        switch event {
        case .committed(let revision): payload = "commit \(revision)"
        case .tokensRevoked: payload = "tokens"
        case .hostStatusReported: payload = "status"
        case .resumed: return
        }
        // NOTIFY is transactional: delivered at COMMIT, dropped on ROLLBACK.
        try db.execute(sql: "SELECT pg_notify('\(Self.channel)', ?)", arguments: [payload])
    }

    /// LISTENs on a connection of its own, again a second after it was lost; each time it starts
    /// listening it yields ``StoreEvent/resumed``, since what was committed meanwhile was not heard.
    public func events() -> AsyncStream<StoreEvent>? {
        let (stream, continuation) = AsyncStream.makeStream(of: StoreEvent.self)
        // It holds the backend until close() cancels it.
        let task = Task { [logger] in
            while !Task.isCancelled {
                do {
                    let connection = try await self.onThread { try self.servers.connect(logger: logger) }
                    defer { Self.dispose(connection) }
                    let cancelled = self.listener.withLock { held in
                        held.connection = connection
                        return held.task?.isCancelled ?? false
                    }
                    if cancelled { break }
                    let notifications = try await connection.listen(Self.channel)
                    continuation.yield(.resumed)
                    for try await notification in notifications {
                        if let event = Self.event(notification.payload) { continuation.yield(event) }
                    }
                } catch {
                    logger.warning("not listening to the other controllers' commits", metadata: ["reason": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
            continuation.finish()
        }
        listener.withLock { $0.task = task }
        return stream
    }

    static func event(_ payload: String) -> StoreEvent? {
        if payload == "tokens" { return .tokensRevoked }
        if payload == "status" { return .hostStatusReported }
        guard payload.hasPrefix("commit "), let revision = Int64(payload.dropFirst(7)) else { return nil }
        return .committed(revision)
    }

    deinit {
        close()
    }

    /// Closes the idle connections, and each busy one when its transaction ends.
    public func close() {
        let listening = listener.withLock { held in
            held.task?.cancel()
            defer { held.connection = nil }
            return held.connection
        }
        if let listening { Self.dispose(listening) }
        if let leading = leadership.withLock({ held in defer { held = nil }; return held }) { Self.dispose(leading) }
        let connections = idle.withLock { idle in
            idle.closed = true
            defer { idle.connections.removeAll() }
            return idle.connections
        }
        for connection in connections { Self.dispose(connection) }
    }

    private func transaction<T: Sendable>(begin: String, lock: String? = nil,
                                          _ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await onThread {
            let connection = try self.connection()
            let session = PostgresSession(connection: connection, logger: self.logger)
            do {
                try session.execute(sql: begin, arguments: [], reuse: true)
                if let lock { _ = try session.rows(sql: lock, arguments: [], reuse: true) }
                let value = try body(session)
                // Waited for first: PostgreSQL answers COMMIT of a transaction a failed statement
                // aborted with a rollback, not an error.
                try session.waitForPending()
                do {
                    _ = try session.rows(sql: "COMMIT", arguments: [], reuse: true)
                } catch let error as ModelError where error.code == .unavailable {
                    throw ModelError(.unavailable, "the connection to the database broke while committing, so the change may or may not "
                                     + "have been made: read it back before trying again (\(error.message))")
                }
                self.release(connection)
                return value
            } catch {
                // A connection that cannot even roll back is dropped; the next use opens another.
                try? session.waitForPending()
                if (try? session.rows(sql: "ROLLBACK", arguments: [], reuse: true)) != nil {
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
        return try servers.connect(logger: logger)
    }

    /// The answer to a request the database could not take now: 503 `unavailable`, nothing
    /// committed, to be tried again (on this controller once the database is back, or another).
    static func unavailable(_ reason: String) -> ModelError {
        ModelError(.unavailable, "the store's database cannot take the request now (\(reason)); nothing was changed, try again")
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
        // Up to the last `@`: a password may hold an unencoded `/` or `?`.
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        guard let userEnd = rest.lastIndex(of: "@"), let passwordStart = rest[..<userEnd].firstIndex(of: ":") else { return url }
        return String(url[..<rest.index(after: passwordStart)]) + "…" + url[userEnd...]
    }
}
