import Foundation
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real `switchyard-controller` binary, run as a child process on a temporary data directory.
final class ControllerProcess: @unchecked Sendable {
    let dataDirectory: String
    let port: Int
    private(set) var process: ChildProcess.Launched?

    static var binary: URL { executable("switchyard-controller") }

    /// One of the package's executables, built next to the test runner.
    static func executable(_ name: String) -> URL {
        if let directory = ProcessInfo.processInfo.environment["SWITCHYARD_BIN_DIR"] {
            return URL(fileURLWithPath: directory).appendingPathComponent(name)
        }
        let runner = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent(name)
    }

    let southboundPort: Int

    init() {
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-proc-\(UUID().uuidString)").path
        // Below the kernel's ephemeral ports (32768 up), which outgoing connections may hold.
        port = Int.random(in: 20_000...25_999)
        southboundPort = Int.random(in: 26_000...31_999)
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Runs `init` (on the data directory, or on the PostgreSQL database `store`) and returns what
    /// it printed on standard output.
    func initialize(store: String? = nil) throws -> String {
        let outcome = try ChildProcess.runBlocking([Self.binary.path, "init"] + (store.map { ["--store", $0] } ?? ["--data-dir", dataDirectory]))
        guard outcome.status == 0 else { throw ProcessFailure(what: "init exited \(outcome.status)") }
        return outcome.output
    }

    /// Starts `serve` with `arguments` added, and waits until the API answers `ready` (by default:
    /// a plain HTTP `GET /v1/revision`).
    func start(token: String, arguments: [String] = [], ready: (() async -> Bool)? = nil) async throws {
        process = try ChildProcess.launch([Self.binary.path, "serve", "--data-dir", dataDirectory, "--listen", "127.0.0.1:\(port)",
                                           "--southbound", "127.0.0.1:\(southboundPort)"] + arguments, log: log)
        let baseURL = baseURL
        let ready = ready ?? { (try? await HTTP.call("GET", baseURL + "/v1/revision", token: token))?.status == 200 }
        for _ in 0..<100 {
            if await ready() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        throw ProcessFailure(what: "the controller did not answer on \(baseURL): \(output.suffix(2_000))")
    }

    func kill() {
        process?.kill()
        process = nil
    }

    /// Where `serve` writes its output, next to the data directory.
    var log: String { dataDirectory + ".log" }

    func cleanUp() {
        kill()
        try? FileManager.default.removeItem(atPath: dataDirectory)
        try? FileManager.default.removeItem(atPath: log)
    }
}

/// Polls `condition` every 100 ms until it holds; fails after `timeout`.
func eventually(_ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw ProcessFailure(what: "timed out waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(100))
    }
}

struct ProcessFailure: Error, CustomStringConvertible {
    let what: String
    var description: String { what }
}

/// A minimal JSON-over-HTTP client for tests against the real process.
enum HTTP {
    struct Reply: @unchecked Sendable {
        // Unchecked: `object` is an immutable JSON tree from JSONSerialization.
        let status: Int
        let json: [String: String]
        let object: [String: Any]
        /// The body as text (`/metrics`).
        let text: String

        init(status: Int, body: Data) {
            self.status = status
            object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
            json = object.compactMapValues { $0 as? String ?? ($0 as? Int).map(String.init) }
            text = String(decoding: body, as: UTF8.self)
        }

        /// `status.realized` of a port or router, `status.connected` of a host.
        func statusFlag(_ key: String) -> Bool? { (object["status"] as? [String: Any])?[key] as? Bool }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        return URLSession(configuration: configuration)
    }()

    /// Returns the status and the top-level string fields of the JSON reply.
    static func call(_ method: String, _ url: String, token: String, body: [String: Any]? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let (data, response) = try await session.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data)
    }
}
