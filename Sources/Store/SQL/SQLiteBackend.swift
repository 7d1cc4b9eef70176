import Foundation
import GRDB

/// The store in SQLite through GRDB: WAL, `synchronous=FULL`, foreign keys on, one writer, reads
/// concurrent on the pool's readers; migrated at open from the `Migrations` SQL files.
public final class SQLiteBackend: StoreBackend {
    let pool: DatabasePool
    public let kind = "sqlite"

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.foreignKeysEnabled = true
        configuration.maximumReaderCount = 8
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Migrations.migrator().migrate(pool)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pool.read { db in try body(GRDBConnection(db: db)) }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in
            var value: T?
            // IMMEDIATE: take the write lock at BEGIN, so no read inside the transaction races a writer.
            try db.inTransaction(.immediate) {
                value = try body(GRDBConnection(db: db))
                return .commit
            }
            return value!
        }
    }

    public func writeStatus<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await write(body)
    }

    /// The one controller of a SQLite store leads.
    public func holdsLeadership() async -> Bool { true }

    /// One controller only: nobody to tell.
    public func announce(_ event: StoreEvent, in db: any SQLConnection) {}

    public func events() -> AsyncStream<StoreEvent>? { nil }

    /// A write transaction run on the caller's thread, for setting a store up.
    func writeSynchronously<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try pool.write { db in try body(GRDBConnection(db: db)) }
    }

    public func close() {
        try? pool.close()
    }
}

/// A GRDB connection seen through the seam; fixed texts come from its statement cache.
struct GRDBConnection: SQLConnection {
    let db: Database

    var dialect: SQLDialect { .sqlite }

    func execute(sql: String, arguments: SQLArguments, reuse: Bool) throws {
        try statement(sql, reuse: reuse).execute(arguments: Self.arguments(arguments))
    }

    func rows(sql: String, arguments: SQLArguments, reuse: Bool) throws -> [SQLRow] {
        let statement = try statement(sql, reuse: reuse)
        let columns = SQLColumns(statement.columnNames)
        let cursor = try Row.fetchCursor(statement, arguments: Self.arguments(arguments))
        var rows: [SQLRow] = []
        while let row = try cursor.next() {
            rows.append(SQLRow(columns: columns, values: (0..<row.count).map { Self.value(row[$0]) }))
        }
        return rows
    }

    var changedRows: Int { db.changesCount }

    /// GRDB runs each statement as it is given: nothing is ever pending.
    func waitForPending() {}

    private func statement(_ sql: String, reuse: Bool) throws -> Statement {
        reuse ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
    }

    private static func arguments(_ arguments: SQLArguments) -> StatementArguments {
        StatementArguments(arguments.values.map { value -> DatabaseValue in
            switch value {
            case .null: .null
            case .integer(let integer): integer.databaseValue
            case .real(let real): real.databaseValue
            case .text(let text): text.databaseValue
            }
        })
    }

    private static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let integer): .integer(integer)
        case .double(let real): .real(real)
        case .string(let text): .text(text)
        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
        }
    }
}
