import Foundation
import GRDB

/// The numbered SQL files of `schemas/migrations`, applied in order, each once.
enum Migrations {
    static func migrator() throws -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        guard let directory = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw MigrationsMissing()
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        for file in files {
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrator.registerMigration(String(file.dropLast(4))) { db in try db.execute(sql: sql) }
        }
        return migrator
    }
}

struct MigrationsMissing: Error, CustomStringConvertible {
    var description: String { "the store's SQL migrations are missing from the installation" }
}
