import Logging
import Northbound
import NIOCore
import PostgresNIO

/// A PostgreSQL connection seen through the seam, on a thread that may wait: each statement's
/// `?` placeholders become `$1`, `$2`…, and its arguments travel as text of no declared type, so
/// the server reads them as the columns they meet (as SQLite's affinity does).
///
/// A statement whose rows are not wanted is sent on without waiting: the connection runs queued
/// statements back to back, and this thread waits once for several (a round trip to the server
/// costs less than waking a waiting thread for each answer).
final class PostgresSession: SQLConnection {
    private let connection: PostgresConnection
    private let logger: Logger
    private var lastChangedRows = 0
    /// The statements sent on and not waited for yet, in order.
    private var pending: [(answer: EventLoopFuture<PostgresQueryResult>, sql: String)] = []

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    var dialect: SQLDialect { .postgres }

    func execute(sql: String, arguments: SQLArguments, reuse: Bool) throws {
        pending.append((answer(connection.query(Self.query(sql, arguments), logger: logger)), sql))
    }

    func rows(sql: String, arguments: SQLArguments, reuse: Bool) throws -> [SQLRow] {
        try waitForPending()
        let result = try run(Self.query(sql, arguments), sql: sql)
        guard let first = result.rows.first else { return [] }
        let columns = SQLColumns(first.map(\.columnName))
        return result.rows.map { row in SQLRow(columns: columns, values: row.map(Self.value)) }
    }

    var changedRows: Int {
        get throws {
            try waitForPending()
            return lastChangedRows
        }
    }

    /// Waits for every statement sent on; throws the first failure (those after it fail too, as
    /// the transaction is aborted, and are not what went wrong).
    func waitForPending() throws {
        var failure: (any Error)?
        for (answer, sql) in pending {
            do {
                lastChangedRows = try Self.outcome(of: answer, sql: sql).metadata.rows ?? 0
            } catch {
                failure = failure ?? error
            }
        }
        pending.removeAll()
        if let failure { throw failure }
    }

    private static func query(_ sql: String, _ arguments: SQLArguments) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: arguments.values.count)
        for value in arguments.values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let integer): bindings.append(UntypedText(String(integer)))
            case .real(let real): bindings.append(UntypedText("\(real)"))
            case .text(let text): bindings.append(UntypedText(text))
            }
        }
        return PostgresQuery(unsafeSQL: numberingPlaceholders(sql), binds: bindings)
    }

    /// Runs `sql` as written, without arguments: a migration's statements.
    func executeAsWritten(_ sql: String) throws {
        try waitForPending()
        _ = try run(PostgresQuery(unsafeSQL: sql), sql: sql)
    }

    private func run(_ query: PostgresQuery, sql: String) throws -> PostgresQueryResult {
        let result = try Self.outcome(of: answer(connection.query(query, logger: logger)), sql: sql)
        lastChangedRows = result.metadata.rows ?? 0
        return result
    }

    /// Waits for `answer`; a refusal becomes the store's error, `unavailable` when trying again may work.
    private static func outcome(of answer: EventLoopFuture<PostgresQueryResult>, sql: String) throws -> PostgresQueryResult {
        do {
            return try answer.wait()
        } catch let error as PSQLError {
            let refusal = PostgresStatementError(error, sql: sql)
            throw refusal.isRetryable ? PostgresBackend.unavailable(refusal.message) : refusal
        }
    }

    /// `query`'s answer, or `unavailable` once its connection is closed or it took `limit`: when
    /// the server dies under a transaction, a statement sent at that moment may never be answered
    /// nor failed by the client library, and a thread waiting for it would hold up every write.
    private func answer(_ query: EventLoopFuture<PostgresQueryResult>, limit: TimeAmount = .seconds(60)) -> EventLoopFuture<PostgresQueryResult> {
        let answered = query.eventLoop.makePromise(of: PostgresQueryResult.self)
        query.cascade(to: answered)
        let deadline = NIODeadline.now() + limit
        let watch = query.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { [connection] _ in
            if connection.isClosed {
                answered.fail(PostgresBackend.unavailable("the connection to the database was lost"))
            } else if NIODeadline.now() > deadline {
                answered.fail(PostgresBackend.unavailable("no answer from the database in \(limit.nanoseconds / 1_000_000_000) s"))
                PostgresBackend.dispose(connection)
            }
        }
        answered.futureResult.whenComplete { _ in watch.cancel() }
        return answered.futureResult
    }

    /// `?` outside quotes becomes `$n`, the next number; `?N` (SQLite's numbered form) `$N`.
    static func numberingPlaceholders(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        var characters = sql.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                var digits = ""
                while let next = characters.next() {
                    if next.isASCII && next.isNumber { digits.append(next) } else { pending = next; break }
                }
                if digits.isEmpty {
                    number += 1
                    digits = String(number)
                }
                result += "$" + digits
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func value(_ cell: PostgresCell) -> SQLValue {
        let data = PostgresData(type: cell.dataType, formatCode: cell.format, value: cell.bytes)
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return data.int64.map(SQLValue.integer) ?? .null
        case .float4, .float8: return data.double.map(SQLValue.real) ?? .null
        case .bool: return data.bool.map { .integer($0 ? 1 : 0) } ?? .null
        case .numeric:
            let text = data.numeric?.string ?? ""
            if let integer = Int64(text) { return .integer(integer) }
            return Double(text).map(SQLValue.real) ?? .null
        default: return data.string.map(SQLValue.text) ?? .null
        }
    }
}

/// An argument sent as text with no declared type: the server infers it from where it is used.
private struct UntypedText: PostgresDynamicTypeEncodable {
    let text: String

    init(_ text: String) { self.text = text }

    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeString(text)
    }
}

/// A statement the server refused or could not run, with the server's words (PSQLError keeps
/// them out of its description).
struct PostgresStatementError: Error, CustomStringConvertible {
    let code: String?
    let message: String
    let sql: String

    init(_ error: PSQLError, sql: String) {
        code = error.serverInfo?[.sqlState]
        message = error.serverInfo?[.message] ?? "\(error.code)"
        self.sql = sql
    }

    var description: String { "PostgreSQL \(code ?? "-"): \(message) (in: \(sql.prefix(300)))" }

    /// The connection failed, the server is going away or read-only (a standby), or the
    /// transaction lost a race: nothing was committed, and the same request may succeed again.
    var isRetryable: Bool {
        guard let code else { return true }
        return code.hasPrefix("08") || ["57P01", "57P02", "57P03", "40001", "40P01", "25006"].contains(code)
    }
}
