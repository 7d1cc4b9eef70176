/// A value crossing the store's SQL seam: a statement's argument or a row's column, as every
/// backend exchanges it. Booleans travel as integers 0 and 1, times as seconds in reals.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// A Swift value a statement binds.
public protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

/// A Swift value a column decodes into; nil from a value of another type.
public protocol SQLDecodable {
    init?(sqlValue: SQLValue)
}

extension String: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .text(self) }
    public init?(sqlValue: SQLValue) {
        guard case .text(let text) = sqlValue else { return nil }
        self = text
    }
}

extension Int64: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(self) }
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .integer(let value): self = value
        case .real(let value) where value.rounded() == value: self = Int64(value)
        default: return nil
        }
    }
}

extension Int: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init?(sqlValue: SQLValue) {
        guard let value = Int64(sqlValue: sqlValue) else { return nil }
        self = Int(value)
    }
}

extension Double: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .real(self) }
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        default: return nil
        }
    }
}

extension Bool: SQLBindable, SQLDecodable {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public init?(sqlValue: SQLValue) {
        guard let value = Int64(sqlValue: sqlValue) else { return nil }
        self = value != 0
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { map(\.sqlValue) ?? .null }
}

/// The values a statement binds to its `?` placeholders, in order.
public struct SQLArguments: Sendable, ExpressibleByArrayLiteral {
    public private(set) var values: [SQLValue]

    public init(_ values: [(any SQLBindable)?] = []) {
        self.values = values.map { $0?.sqlValue ?? .null }
    }

    public init(arrayLiteral elements: (any SQLBindable)?...) {
        self.init(elements)
    }

    public static func += (lhs: inout SQLArguments, rhs: SQLArguments) {
        lhs.values += rhs.values
    }
}
