import Foundation

/// The numbered SQL files of `schemas/postgres`, applied in order, each once, under an advisory
/// lock so that controllers starting together do not both apply one.
enum PostgresMigrations {
    /// The advisory lock's key: "sy" and "mg" in ASCII.
    static let lockKey = 0x7379_6D67

    /// Applies the files `session`'s transaction has not seen yet; the caller holds the lock.
    static func migrate(_ session: PostgresSession) throws {
        try session.execute(sql: "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)")
        let applied = Set(try session.values(String.self, sql: "SELECT name FROM schema_migrations"))
        for (name, sql) in try Migrations.files(in: "PostgresMigrations") where !applied.contains(name) {
            for statement in statements(in: sql) { try session.executeAsWritten(statement) }
            try session.execute(sql: "INSERT INTO schema_migrations (name) VALUES (?)", arguments: [name])
        }
    }

    /// A file's statements, one by one (the extended protocol takes one at a time): split at `;`
    /// outside quotes, `$$` bodies and `--` comments.
    static func statements(in sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inQuote = false, inBody = false, inComment = false
        var previous: Character = " "
        for character in sql {
            current.append(character)
            if inComment {
                if character == "\n" { inComment = false }
            } else if inQuote {
                if character == "'" { inQuote = false }
            } else if inBody {
                if character == "$" && previous == "$" { inBody = false; previous = " "; continue }
            } else if character == "-" && previous == "-" {
                inComment = true
            } else if character == "'" {
                inQuote = true
            } else if character == "$" && previous == "$" {
                inBody = true; previous = " "; continue
            } else if character == ";" {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if statement != ";" { statements.append(statement) }
                current = ""
            }
            previous = character
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty && !rest.split(separator: "\n").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }) {
            statements.append(rest)
        }
        return statements
    }
}
