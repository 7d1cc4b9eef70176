import Foundation
import PKI

/// A file of records, one JSON line each, appended and synced one at a time: the changes made
/// since the snapshot it sits beside. Writing one record costs the same however large the
/// snapshot is; the owner folds the records into a new snapshot now and then and ``clear()``s it.
///
/// A line cut short by a crash (no newline) was never acknowledged and is skipped on reading.
struct Journal<Record: Codable & Sendable>: Sendable {
    let path: String
    /// Records appended since the file was last cleared or read.
    private(set) var count = 0

    init(path: String) {
        self.path = path
    }

    /// The records in the file, oldest first.
    mutating func records() throws -> [Record] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        let records = try lines.filter { !$0.isEmpty }.map { try decoder.decode(Record.self, from: Data($0)) }
        count = records.count
        return records
    }

    /// Appends `record` and syncs it.
    mutating func append(_ record: Record) throws {
        try AtomicFile.append(path, with: Array(try JSONEncoder().encode(record)) + [UInt8(ascii: "\n")], mode: 0o600)
        count += 1
    }

    /// Empties the journal, once its records are in the snapshot. A crash before this leaves records
    /// the snapshot already holds; reading them again must not change the outcome.
    mutating func clear() {
        unlink(path)
        count = 0
    }
}
