import Foundation

// Load generator for ops/bench-api: creates ports from concurrent keep-alive connections, one
// thread each, and prints the figures one per line as `name: value`. Exits non-zero only when it
// could not measure.

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}
let target = option("--address", "127.0.0.1:8080").split(separator: ":")
let host = String(target.first ?? "127.0.0.1")
let port = UInt16(target.last ?? "8080") ?? 8080
let token = option("--token", ProcessInfo.processInfo.environment["SWITCHYARD_TOKEN"] ?? "")
let total = Int(option("--ports", "10000")) ?? 10_000
let connections = Int(option("--connections", "16")) ?? 16
let headers = ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]

func create(_ connection: HTTPConnection, _ path: String, _ body: [String: Any]) throws -> [String: Any] {
    let reply = try connection.send(method: "POST", path: "/v1" + path, headers: headers,
                                    body: Array(try JSONSerialization.data(withJSONObject: body)))
    guard reply.status == 201 else {
        throw BenchFailure(message: "POST \(path): \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
    }
    return (try JSONSerialization.jsonObject(with: Data(reply.body))) as? [String: Any] ?? [:]
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))]
}

do {
    let setup = try HTTPConnection(host: host, port: port)
    let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    let tenant = try create(setup, "/tenants", ["name": "bench-\(suffix)", "quotas": ["ports": total + 1]])
    let sw = try create(setup, "/switches", ["tenant": tenant["id"] as? String ?? "", "name": "bench", "cidr": "10.128.0.0/16"])
    let switchID = sw["id"] as? String ?? ""
    let workers = try (0..<connections).map { _ in try HTTPConnection(host: host, port: port) }

    let lock = NSLock()
    nonisolated(unsafe) var latencies: [Double] = []
    nonisolated(unsafe) var failure: (any Error)?
    let done = DispatchGroup()
    let started = DispatchTime.now()
    // One thread per connection: the calls block, so a thread pool sized to the cores would serialize them.
    for (worker, connection) in workers.enumerated() {
        done.enter()
        Thread {
            var mine: [Double] = []
            var index = worker
            do {
                while index < total {
                    let sent = DispatchTime.now()
                    let body = Array("{\"switch\":\"\(switchID)\",\"name\":\"p\(index)\"}".utf8)
                    let reply = try connection.send(method: "POST", path: "/v1/ports", headers: headers, body: body)
                    guard reply.status == 201 else { throw BenchFailure(message: "port create: \(reply.status)") }
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
    let sorted = latencies.sorted()
    print("port-creates-per-s: \(Int((Double(sorted.count) / seconds).rounded()))")
    print("port-create-p50-ms: \(String(format: "%.2f", percentile(sorted, 0.50)))")
    print("port-create-p99-ms: \(String(format: "%.2f", percentile(sorted, 0.99)))")
} catch {
    FileHandle.standardError.write(Data("bench-api: could not measure: \(error)\n".utf8))
    exit(1)
}
