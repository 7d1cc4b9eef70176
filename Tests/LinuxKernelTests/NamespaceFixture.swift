import Foundation
import Testing
import TestSupport

/// Throwaway network namespaces for integration tests, made and removed with `ip netns`
/// (test fixtures may shell out; LinuxKernel itself never does).
enum NamespaceFixture {
    static let isRoot = geteuid() == 0
    static let skipReason: Comment = "needs root: creates network namespaces (run the tests as root)"

    /// Runs `body` with `count` fresh namespaces named `sy-test-<random>`, deleting them afterwards
    /// whether `body` succeeds or throws.
    static func withNamespaces<T>(_ count: Int, _ body: ([String]) async throws -> T) async throws -> T {
        var names: [String] = []
        defer {
            for name in names { _ = try? ip(["netns", "del", name]) }
        }
        for _ in 0..<count {
            let name = "sy-test-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
            try ip(["netns", "add", name])
            names.append(name)
            try ip(["-n", name, "link", "set", "lo", "up"])
        }
        return try await body(names)
    }

    /// Runs `ip ARGUMENTS…` and fails on a non-zero exit.
    @discardableResult
    static func ip(_ arguments: [String]) throws -> String {
        try run("ip", arguments)
    }

    /// Runs `bridge ARGUMENTS…` (to cross-check what LinuxKernel reads) and fails on a non-zero exit.
    @discardableResult
    static func bridge(_ arguments: [String]) throws -> String {
        try run("bridge", arguments)
    }

    private static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let path = ["/usr/sbin/", "/sbin/", "/usr/bin/"].map { $0 + tool }.first { FileManager.default.isExecutableFile(atPath: $0) }
        let outcome = try ChildProcess.runBlocking([path ?? "/usr/sbin/\(tool)"] + arguments, includeErrors: true)
        guard outcome.status == 0 else {
            throw FixtureError(message: "\(tool) \(arguments.joined(separator: " ")) failed: \(outcome.output)")
        }
        return outcome.output
    }

    struct FixtureError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
