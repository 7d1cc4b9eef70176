/// What the store's operations run their SQL through: one connection of a backend, inside a read
/// or a write transaction. The SQL is the common subset of SQLite and PostgreSQL, with `?`
/// placeholders; a backend rewrites what its dialect spells differently.
///
/// `reuse` says the text is fixed (the API runs the same few statements thousands of times, and a
/// backend may keep it prepared); text built per call (list filters) passes false.
public protocol SQLConnection {
    var dialect: SQLDialect { get }
    /// Runs a statement whose rows are not wanted. A backend may send it on and answer at once:
    /// its failure is then thrown by the next call that waits (``rows(sql:arguments:reuse:)``,
    /// ``changedRows``, ``waitForPending()``), within the same mutation (``inSavepoint(_:)``).
    func execute(sql: String, arguments: SQLArguments, reuse: Bool) throws
    func rows(sql: String, arguments: SQLArguments, reuse: Bool) throws -> [SQLRow]
    /// How many rows the last INSERT, UPDATE or DELETE changed.
    var changedRows: Int { get throws }
    /// Waits for the statements sent on, throwing the first one's failure.
    func waitForPending() throws
}

extension SQLConnection {
    func execute(sql: String, arguments: SQLArguments = [], reuse: Bool = true) throws {
        try execute(sql: sql, arguments: arguments, reuse: reuse)
    }

    func rows(sql: String, arguments: SQLArguments = [], reuse: Bool = true) throws -> [SQLRow] {
        try rows(sql: sql, arguments: arguments, reuse: reuse)
    }

    func row(sql: String, arguments: SQLArguments = [], reuse: Bool = true) throws -> SQLRow? {
        try rows(sql: sql, arguments: arguments, reuse: reuse).first
    }

    /// The first column of the first row; nil without a row or for a NULL.
    func value<Value: SQLDecodable>(_ type: Value.Type, sql: String, arguments: SQLArguments = [], reuse: Bool = true) throws -> Value? {
        guard let row = try row(sql: sql, arguments: arguments, reuse: reuse), row.first != .null else { return nil }
        guard let value = Value(sqlValue: row.first) else { preconditionFailure("\(row.first) is not \(Value.self): \(sql)") }
        return value
    }

    /// The first column of every row, NULLs left out.
    func values<Value: SQLDecodable>(_ type: Value.Type, sql: String, arguments: SQLArguments = [], reuse: Bool = true) throws -> [Value] {
        try rows(sql: sql, arguments: arguments, reuse: reuse).compactMap { row in
            row.first == .null ? nil : Value(sqlValue: row.first)
        }
    }

    /// Runs `body` in a savepoint: rolled back alone when it throws (or a statement it sent on
    /// fails), the transaction going on.
    func inSavepoint<T>(_ body: () throws -> T) throws -> T {
        try execute(sql: "SAVEPOINT mutation")
        do {
            let value = try body()
            try waitForPending()
            try execute(sql: "RELEASE SAVEPOINT mutation")
            return value
        } catch {
            // What else the body sent failed with it or after it: the body's error is the outcome.
            try? waitForPending()
            try execute(sql: "ROLLBACK TO SAVEPOINT mutation")
            try execute(sql: "RELEASE SAVEPOINT mutation")
            throw error
        }
    }
}
