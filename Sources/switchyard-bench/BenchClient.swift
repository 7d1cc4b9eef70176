import Foundation

/// The REST API over blocking keep-alive connections.
struct BenchClient: Sendable {
    let host: String
    let port: UInt16
    let token: String

    var headers: [String: String] { ["Authorization": "Bearer \(token)", "Content-Type": "application/json"] }

    func connect() throws -> HTTPConnection { try HTTPConnection(host: host, port: port) }

    /// POSTs on a fresh connection; for set-up calls, not for measuring.
    func create(_ path: String, _ body: [String: Any], on connection: HTTPConnection? = nil) throws -> [String: Any] {
        let reply = try (connection ?? connect()).send(method: "POST", path: "/v1" + path, headers: headers,
                                                       body: Array(try JSONSerialization.data(withJSONObject: body)))
        guard reply.status == 201 else {
            throw BenchFailure(message: "POST \(path): \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return (try JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any] ?? [:]
    }

    /// Runs `count` requests spread over `connections` threads; returns sorted latencies (ms) and the wall time (s).
    func concurrently(_ count: Int, connections: Int,
                      _ request: @escaping @Sendable (HTTPConnection, Int) throws -> Void) throws -> ([Double], Double) {
        let workers = try (0..<connections).map { _ in try connect() }
        let lock = NSLock()
        nonisolated(unsafe) var latencies: [Double] = []
        nonisolated(unsafe) var failure: (any Error)?
        let done = DispatchGroup()
        let started = DispatchTime.now()
        // One thread per connection: the calls block, so a pool sized to the cores would serialize them.
        for (worker, connection) in workers.enumerated() {
            done.enter()
            Thread {
                var mine: [Double] = []
                var index = worker
                do {
                    while index < count {
                        let sent = DispatchTime.now()
                        try request(connection, index)
                        mine.append(Double(DispatchTime.now().uptimeNanoseconds - sent.uptimeNanoseconds) / 1e6)
                        index += connections
                    }
                } catch {
                    lock.withLock { failure = error }
                }
                lock.withLock { latencies += mine }
                done.leave()
            }.start()
        }
        done.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        if let failure { throw failure }
        return (latencies.sorted(), seconds)
    }
}
