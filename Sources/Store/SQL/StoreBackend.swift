/// Where the store keeps the desired state: SQLite in the data directory for one controller
/// (``SQLiteBackend``), PostgreSQL for several (``PostgresBackend``). The store's operations are
/// written once, against ``SQLConnection``.
public protocol StoreBackend: Sendable {
    /// Runs `body` on a connection that sees one committed state throughout.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Runs `body` in one write transaction, which commits when it returns and rolls back when it
    /// throws. Writes are serialized: at most one runs at a time.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Lets go of the backend's connections; the store is not used afterwards.
    func close()
}
