import Foundation
import GRDB

/// The numbered SQL files of `schemas/migrations` (SQLite), applied in order, each once.
enum Migrations {
    static func migrator() throws -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (name, sql) in try files(in: "Migrations") {
            migrator.registerMigration(name) { db in try db.execute(sql: sql) }
        }
        return migrator
    }

    /// The SQL files of one of the module's migration directories, by name without `.sql`, in order.
    static func files(in resource: String) throws -> [(name: String, sql: String)] {
        guard let directory = Bundle.module.url(forResource: resource, withExtension: nil) else {
            throw MigrationsMissing()
        }
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
            .map { file in (String(file.dropLast(4)), try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)) }
    }
}

struct MigrationsMissing: Error, CustomStringConvertible {
    var description: String { "the store's SQL migrations are missing from the installation" }
}
