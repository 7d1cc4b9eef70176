import Foundation

/// Runs `body` with a fresh directory that is removed afterwards, whatever happens.
func withTemporaryDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("pki-tests-\(UUID().uuidString)", isDirectory: true).path
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}
