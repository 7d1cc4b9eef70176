import Agent
import Foundation

/// Runs `body` with a fresh, empty state directory and removes it afterwards.
func withStateDirectory<Result>(_ body: (AgentStateDirectory) async throws -> Result) async throws -> Result {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("agent-tests-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(AgentStateDirectory(path: path))
}
