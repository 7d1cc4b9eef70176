import Foundation
import Northbound

/// The desired state, in a ``StoreBackend``.
///
/// Reads run concurrently. Writes go through `WriteBatcher`, which commits concurrent mutations
/// together (group commit); each mutation still gets its own revision.
public final class Store: Sendable {
    let backend: any StoreBackend
    let writer: WriteBatcher
    let tokenCache: TokenCache
    let notifier: LatestBroadcast<Int64>
    /// Wakes followers of the host status the controllers sharing the store report.
    let hostStatusReported = LatestBroadcast<Void>()

    public static let databaseFileName = "switchyard.sqlite"

    /// Opens (and migrates) the store in `dataDirectory`, which must already hold an initialized store.
    public convenience init(dataDirectory: String) throws {
        let path = (dataDirectory as NSString).appendingPathComponent(Self.databaseFileName)
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError.notInitialized(dataDirectory)
        }
        self.init(backend: try SQLiteBackend(path: path))
    }

    /// The store in `backend`, which must already hold an initialized store.
    public init(backend: any StoreBackend) {
        self.backend = backend
        let (notifier, tokenCache) = (LatestBroadcast<Int64>(), TokenCache())
        (self.notifier, self.tokenCache) = (notifier, tokenCache)
        writer = WriteBatcher(backend: backend, notifier: notifier)
        isShared = Self.follow(backend: backend, notifier: notifier, tokenCache: tokenCache, hostStatus: hostStatusReported)
    }

    /// Whether other controllers may write to this store too (it is in PostgreSQL).
    public let isShared: Bool

    /// `sqlite` or `postgres`.
    public var kind: String { backend.kind }

    /// Passes what the other controllers sharing the store commit and report on to this one's
    /// subscribers and token cache; false when the backend is this controller's alone.
    private static func follow(backend: any StoreBackend, notifier: LatestBroadcast<Int64>, tokenCache: TokenCache,
                               hostStatus: LatestBroadcast<Void>) -> Bool {
        guard let events = backend.events() else { return false }
        Task {
            for await event in events {
                switch event {
                case .committed(let revision):
                    notifier.publish(revision)
                case .tokensRevoked:
                    tokenCache.invalidate()
                case .hostStatusReported:
                    hostStatus.publish(())
                case .resumed:
                    tokenCache.invalidate()
                    hostStatus.publish(())
                    let revision = try? await backend.read { db in try db.value(Int64.self, sql: "SELECT revision FROM meta") }
                    if let revision { notifier.publish(revision) }
                }
            }
        }
        return true
    }

    /// Lets go of the backend's connections (a PostgreSQL store's); the store is not used afterwards.
    public func close() {
        backend.close()
    }

    /// Opens the store `location` names: a `postgres://` URL, or else a data directory.
    public static func open(_ location: String) async throws -> Store {
        guard PostgresBackend.isURL(location) else { return try Store(dataDirectory: location) }
        let store = Store(backend: try await PostgresBackend(url: location))
        guard try await store.holdsAdminToken() else { throw StoreError.notInitialized(PostgresBackend.redacted(location)) }
        return store
    }

    /// Creates the data directory and the database, and returns the admin token's secret.
    /// The secret is not stored; only its hash is.
    public static func initialize(dataDirectory: String) throws -> String {
        let path = (dataDirectory as NSString).appendingPathComponent(databaseFileName)
        guard !FileManager.default.fileExists(atPath: path) else { throw StoreError.alreadyInitialized(dataDirectory) }
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let backend = try SQLiteBackend(path: path)
        let secret = TokenSecret.make(admin: true)
        try backend.writeSynchronously { db in try insertAdminToken(hashing: secret, db) }
        try backend.pool.close()
        return secret
    }

    /// Initializes the store in the PostgreSQL database at `url` (its schema is made on
    /// connecting) and returns the admin token's secret; refused when it already holds a store.
    public static func initialize(postgres url: String) async throws -> String {
        let backend = try await PostgresBackend(url: url)
        defer { backend.close() }
        let secret = TokenSecret.make(admin: true)
        let created = try await backend.write { db in
            guard try db.value(Int.self, sql: "SELECT COUNT(*) FROM tokens") == 0 else { return false }
            try insertAdminToken(hashing: secret, db)
            return true
        }
        guard created else { throw StoreError.alreadyInitialized(PostgresBackend.redacted(url)) }
        return secret
    }

    private static func insertAdminToken(hashing secret: String, _ db: any SQLConnection) throws {
        var generator = SystemRandomNumberGenerator()
        try db.execute(sql: "INSERT INTO tokens (id, hash, revision) VALUES (?, ?, 0)",
                       arguments: [ObjectKind.token.makeID(using: &generator), TokenSecret.hash(secret)])
    }

    private func holdsAdminToken() async throws -> Bool {
        try await read { db in try db.value(Int.self, sql: "SELECT COUNT(*) FROM tokens WHERE tenant IS NULL") ?? 0 > 0 }
    }

    /// Runs `body` as one atomic mutation at a new revision, made by the task's ``AuditActor``;
    /// returns after COMMIT.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection, Int64) throws -> T) async throws -> Committed<T> {
        let (value, revision) = try await writer.submit(actor: AuditActor.current, body)
        return Committed(value: value, revision: revision)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await backend.read(body)
    }

    /// The revision of the last committed mutation.
    public func revision() async throws -> Int64 {
        try await read { db in try db.value(Int64.self, sql: "SELECT revision FROM meta") ?? 0 }
    }
}

/// A value together with the revision of the transaction that committed it.
public struct Committed<Value: Sendable>: Sendable {
    public let value: Value
    public let revision: Int64

    public init(value: Value, revision: Int64) {
        self.value = value
        self.revision = revision
    }
}

public enum StoreError: Error, Equatable, CustomStringConvertible {
    case notInitialized(String)
    case alreadyInitialized(String)
    /// The change history since a revision was pruned: it starts at `historyStart`.
    case historyPruned(since: Int64, historyStart: Int64)
    case invalidURL(String)
    case invalidURLParameter(String)

    public var description: String {
        switch self {
        case .historyPruned(let since, let start): "changes since revision \(since) are pruned; history starts at \(start)"
        case .invalidURL(let url): "not a PostgreSQL URL (postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE): \(url)"
        case .invalidURLParameter(let name):
            "the store URL's parameter \(name) is not one of sslmode (disable, prefer, require, verify-ca, verify-full) and sslrootcert (a PEM file)"
        case .notInitialized(let dir): "no store in \(dir): run `switchyard-controller init` on it first"
        case .alreadyInitialized(let dir): "\(dir) already holds a store; its admin token was printed when it was created"
        }
    }
}

extension Store {
    /// The durability settings in force on a connection, for operators and tests to verify.
    public struct Pragmas: Sendable {
        public let journalMode: String
        public let synchronous: Int
        public let foreignKeys: Bool
    }

    public func pragmas() async throws -> Pragmas {
        try await read { db in
            Pragmas(journalMode: try db.value(String.self, sql: "PRAGMA journal_mode") ?? "",
                    synchronous: try db.value(Int.self, sql: "PRAGMA synchronous") ?? -1,
                    foreignKeys: try db.value(Bool.self, sql: "PRAGMA foreign_keys") ?? false)
        }
    }
}
