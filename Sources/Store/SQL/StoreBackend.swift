/// Where the store keeps the desired state: SQLite in the data directory for one controller
/// (``SQLiteBackend``), PostgreSQL for several (``PostgresBackend``). The store's operations are
/// written once, against ``SQLConnection``.
public protocol StoreBackend: Sendable {
    /// `sqlite` or `postgres`, for operators.
    var kind: String { get }

    /// Runs `body` on a connection that sees one committed state throughout.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Runs `body` in one write transaction, which commits when it returns and rolls back when it
    /// throws. Writes are serialized: at most one runs at a time.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Runs `body` in a write transaction outside the revision order, for status that is not
    /// desired state (it neither waits for nor holds up the desired state's writers).
    func writeStatus<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T

    /// Whether this process holds the store's leadership now (taking it when it is free).
    func holdsLeadership() async -> Bool

    /// Lets go of the backend's connections; the store is not used afterwards.
    func close()

    /// Has the other controllers sharing the store learn `event` when the transaction of `db`
    /// commits (and not at all when it rolls back).
    func announce(_ event: StoreEvent, in db: any SQLConnection) throws

    /// The events the controllers sharing the store announce (this one's among them), until the
    /// backend closes; nil when no other controller can share it. Called once.
    func events() -> AsyncStream<StoreEvent>?
}
