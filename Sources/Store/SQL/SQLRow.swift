/// The column names of a result, shared by its rows.
public final class SQLColumns: Sendable {
    public let names: [String]
    private let indexes: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        indexes = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func index(of name: String) -> Int? { indexes[name] }
}

/// One row of a result. Reading a column the statement did not select, a NULL as a non-optional
/// or a value of another type is a programming error in the store, and traps, as GRDB's rows do.
public struct SQLRow: Sendable {
    public let columns: SQLColumns
    public let values: [SQLValue]

    public init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(_ name: String) -> SQLValue {
        guard let index = columns.index(of: name) else { preconditionFailure("no column \(name) in \(columns.names)") }
        return values[index]
    }

    public subscript<Value: SQLDecodable>(_ name: String) -> Value {
        let value: SQLValue = self[name]
        guard let decoded = Value(sqlValue: value) else { preconditionFailure("column \(name) holds \(value), not \(Value.self)") }
        return decoded
    }

    public subscript<Value: SQLDecodable>(_ name: String) -> Value? {
        let value: SQLValue = self[name]
        if value == .null { return nil }
        guard let decoded = Value(sqlValue: value) else { preconditionFailure("column \(name) holds \(value), not \(Value.self)") }
        return decoded
    }

    /// The first column's value, for single-value queries.
    var first: SQLValue { values.first ?? .null }
}
